import type { ModelCapabilities } from '../db/schema';
import type { Env } from '../env-schema';
import { didYouMean } from './close-matches';
import {
	ProviderError,
	type ChatProvider,
	type DiscoveredModel,
	type HealthResult,
	type ProviderKind
} from './types';

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
	/** An admin's extra headers (a gateway's auth, an org id), sent on every request. */
	headers?: Record<string, string>;
};

/** Names of the environment variables that hold text (keys and URLs). */
export type TextEnvVar = {
	[K in keyof Env]-?: Env[K] extends string | undefined ? K : never;
}[keyof Env];

/**
 * One provider kind: a folder with an adapter, and one line in kinds.ts. Everything that differs
 * between kinds is a field here, so no service or component has to name a kind.
 */
export type ProviderKindDefinition = {
	kind: ProviderKind;
	/** How Settings names the kind when an admin adds a provider. */
	label: string;
	requiresApiKey: boolean;
	/** The vendor's endpoint; null when there is none and an admin must enter one. */
	defaultBaseUrl: string | null;
	/** Local servers usually run next door, so they may reach private networks unless an admin says otherwise. */
	privateNetworkByDefault: boolean;
	/** Environment variables with the built-in row's key and base URL (a value in provider_configs wins). */
	env: { apiKey?: TextEnvVar; baseUrl?: TextEnvVar };
	/** Output tokens sent when a request names none, for vendors that require the field. */
	requiredMaxTokens: number | null;
	/** What models found by discovery can do until an admin says otherwise. */
	discoveredCapabilities: ModelCapabilities;
	/**
	 * Whether the kind's API caches a prompt prefix only where the request marks it, so Switchboard
	 * marks chats' prefixes (a per-model setting, on unless an admin turns it off). Kinds that cache
	 * on their own (OpenAI) or not at all say false: there is nothing to switch.
	 */
	promptCaching: boolean;
	/** Said where such a provider lists no models (a local server that is not running, say). */
	noModelsHint: string | null;
	create(options: ProviderOptions): ChatProvider;
};

/**
 * The environment's key and base URL. They belong to the kind's built-in row (whose id is the kind,
 * see the seed catalog), never to a provider an admin added: a second OpenAI account or an Azure
 * deployment does not inherit OPENAI_API_KEY.
 */
export function kindEnv(
	definition: ProviderKindDefinition,
	config: Env,
	providerId: string = definition.kind
): { apiKey?: string; baseUrl?: string } {
	if (providerId !== definition.kind) return {};
	const { apiKey, baseUrl } = definition.env;
	return { apiKey: apiKey ? config[apiKey] : undefined, baseUrl: baseUrl ? config[baseUrl] : undefined };
}

/** What the UI may know about a kind (ProviderInfo.kindInfo): no functions, no secrets. */
export function describeKind(definition: ProviderKindDefinition) {
	return {
		label: definition.label,
		requiresApiKey: definition.requiresApiKey,
		baseUrlRequired: definition.defaultBaseUrl === null,
		privateNetworkByDefault: definition.privateNetworkByDefault,
		apiKeyEnvVar: definition.env.apiKey ?? null,
		baseUrlEnvVar: definition.env.baseUrl ?? null,
		noModelsHint: definition.noModelsHint,
		promptCaching: definition.promptCaching
	};
}
export type KindInfo = ReturnType<typeof describeKind>;

/**
 * Shared `checkHealth` for adapters: the cheapest listing the provider answers, timed, its failure
 * mapped to the provider-error vocabulary by the adapter's own mapper.
 */
export async function timedHealthCheck(
	list: () => Promise<unknown>,
	mapError: (error: unknown) => ProviderError
): Promise<HealthResult> {
	const started = performance.now();
	try {
		await list();
	} catch (error) {
		throw mapError(error);
	}
	return { ok: true, latencyMs: Math.round(performance.now() - started) };
}

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
