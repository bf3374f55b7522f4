import type { App } from '../app';
import type { ModelRef } from './resolve-model';

/** The enabled models of enabled, configured providers: what any API token may call. */
export async function availableModels(app: App) {
	const [states, models] = await Promise.all([app.providers.listStates(), app.models.list()]);
	const usable = new Set(states.filter((s) => s.enabled && s.configured).map((s) => s.id));
	return models.filter((m) => usable.has(m.providerId));
}

export async function availableModelRefs(app: App): Promise<ModelRef[]> {
	return (await availableModels(app)).map(({ providerId, modelId }) => ({ providerId, modelId }));
}

/** Alias name -> where it points, for resolveModelName. */
export async function modelAliases(app: App): Promise<Map<string, ModelRef>> {
	const aliases = await app.aliases.list();
	return new Map(aliases.map((a) => [a.name, { providerId: a.providerId, modelId: a.modelId }]));
}
