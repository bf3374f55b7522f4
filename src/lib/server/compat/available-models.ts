import type { App } from '../app';
import { modelAllowed, type TokenGrant } from '../auth/token-access';
import type { ModelRef } from './resolve-model';

/**
 * The enabled models of enabled, configured providers: what any API token may call. Read from the
 * provider manager's snapshot, the very view the generation then picks from, so resolving a model
 * name costs no query on the way to the first token.
 */
export async function availableModelRefs(app: App): Promise<ModelRef[]> {
	const [states, models] = await Promise.all([app.providers.listStates(), app.providers.models()]);
	const usable = new Set(states.filter((s) => s.enabled && s.configured).map((s) => s.id));
	return models
		.filter((m) => m.enabled && usable.has(m.providerId))
		.map(({ providerId, modelId }) => ({ providerId, modelId }));
}

/** Alias name -> where it points, for resolveModelName. */
export async function modelAliases(app: App): Promise<Map<string, ModelRef>> {
	const aliases = await app.aliases.list();
	return new Map(aliases.map((a) => [a.name, { providerId: a.providerId, modelId: a.modelId }]));
}

/** The available models a caller may call: all of them, or those its token's allow-list names. */
export async function modelsForGrant(app: App, grant: TokenGrant | null): Promise<ModelRef[]> {
	const models = await availableModelRefs(app);
	if (!grant || grant.allowedModels.length === 0) return models;
	const aliases = await modelAliases(app);
	return models.filter((m) => modelAllowed(grant, m, aliases));
}
