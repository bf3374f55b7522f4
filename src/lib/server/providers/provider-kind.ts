import type { Env } from '../env-schema';
import { didYouMean } from './close-matches';
import { ProviderError, type ChatProvider, type DiscoveredModel, type ProviderKind } from './types';

/** What the manager hands an adapter: everything resolved, nothing read from the environment here. */
export type ProviderOptions = {
	id: string;
	apiKey?: string;
	baseUrl: string;
	/** The guarded fetch (URL policy, no cross-host redirects); SDK clients get nothing else. */
	fetch: typeof fetch;
	/** Time allowed until a response's headers arrive (streams, model lists, health checks). */
	timeoutMs: number;
	/** Time allowed for a whole non-streamed completion. */
	completeTimeoutMs?: number;
};

/** One provider kind: a folder with an adapter, and one line in registry.ts. */
export type ProviderKindDefinition = {
	kind: ProviderKind;
	requiresApiKey: boolean;
	defaultBaseUrl: string;
	/** Ollama usually runs next door, so it may reach private networks unless an admin says otherwise. */
	privateNetworkByDefault: boolean;
	/** The environment's fallback key and base URL (a value in provider_configs wins). */
	fromEnv(config: Env): { apiKey?: string; baseUrl?: string };
	create(options: ProviderOptions): ChatProvider;
};

/** Shared `validateModel` for adapters: list, then fail with close matches. */
export async function validateAgainstList(
	provider: Pick<ChatProvider, 'id' | 'listModels'>,
	modelId: string,
	signal?: AbortSignal
): Promise<void> {
	const models: DiscoveredModel[] = await provider.listModels(signal);
	const ids = models.map((m) => m.modelId);
	if (ids.includes(modelId)) return;
	throw new ProviderError({
		code: 'model_not_found',
		message: `The provider "${provider.id}" does not offer the model "${modelId}".${didYouMean(modelId, ids)}`,
		providerId: provider.id
	});
}
