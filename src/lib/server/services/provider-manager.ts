import type { Db } from '../db/client';
import {
	upsertDiscoveredModels,
	listModels,
	type DiscoveryCounts,
	type ProviderModelRow
} from '../db/repositories/model-repository';
import { listProviderConfigs, type ProviderConfigRow } from '../db/repositories/provider-repository';
import { listAliases, type ModelAliasRow } from '../db/repositories/alias-repository';
import type { Env } from '../env-schema';
import { AppError } from '../errors';
import { modelAllowed, modelRefused, type TokenGrant } from '../auth/token-access';
import { didYouMean } from '../providers/close-matches';
import { metrics } from '../observability/metrics';
import { CooldownTracker, type CooldownOptions } from '../providers/cooldown';
import { createGuardedFetch, type GuardedFetch } from '../providers/guarded-fetch';
import { effectiveConfig, type EffectiveConfig } from '../providers/provider-config';
import { samplingSupport } from '$lib/schemas/sampling';
import { kindEnv, type ProviderKindDefinition } from '../providers/provider-kind';
import { kindDefinition, providerKinds } from '../providers/kinds';
import { configuredKeys } from '../providers/secret-redaction';
import type { ChatProvider, ChatRequest, ProviderError } from '../providers/types';
import { hasImages, withoutImages } from '../attachments/prompt-parts';

export type { ProviderModelRow } from '../db/repositories/model-repository';

/** Whether a request to this model marks its prompt for caching: the kind takes breakpoints, the admin left them on. */
export function cachesPrompts(resolved: Pick<ResolvedModel, 'definition' | 'model'>): boolean {
	return resolved.definition.promptCaching && resolved.model.capabilities.promptCaching !== false;
}

export type ResolvedModel = {
	providerId: string;
	definition: ProviderKindDefinition;
	provider: ChatProvider;
	model: ProviderModelRow;
	/** The alias the request named, when it named one (a chat keeps the alias, not its target). */
	alias?: string;
};

/** What providers.list needs besides the row: the effective settings and health. */
export type ProviderState = {
	id: string;
	kind: string;
	enabled: boolean;
	configured: boolean;
	problem: string | null;
	baseUrl: string;
	baseUrlSource: EffectiveConfig['baseUrlSource'];
	apiKeySource: EffectiveConfig['apiKeySource'];
	headers?: Record<string, string>;
	coolingDown: boolean;
	row: ProviderConfigRow;
};

export type ProviderManagerDeps = {
	db: Db;
	config: Env;
	cooldown?: CooldownOptions;
	/**
	 * How long a read of provider_configs / provider_models is trusted: the safety net for an edit
	 * whose announcement (`announce`) was lost.
	 */
	ttlMs?: number;
	/** Tells every process (this one included) that provider settings changed. */
	announce?: () => void;
};

type Snapshot = {
	loadedAt: number;
	configs: ProviderConfigRow[];
	models: ProviderModelRow[];
	aliases: Map<string, ModelAliasRow>;
	effective: Map<string, EffectiveConfig>;
};

const usable = (e: EffectiveConfig | undefined) => !!e && e.row.enabled && e.problem === null;

/**
 * Builds providers from provider_configs (the environment as fallback), picks defaults, resolves
 * requests to a provider and model, orders fallbacks and remembers failing providers.
 */
export class ProviderManager {
	private snapshotPromise?: Promise<Snapshot>;
	private readonly instances = new Map<
		string,
		{ fingerprint: string; provider: ChatProvider; fetch: GuardedFetch }
	>();
	private readonly cooldown: CooldownTracker;
	private readonly ttlMs: number;

	constructor(private readonly deps: ProviderManagerDeps) {
		this.cooldown = new CooldownTracker({
			onCooldown: (provider) => metrics().cooldowns.inc({ provider }),
			...deps.cooldown
		});
		this.ttlMs = deps.ttlMs ?? 5_000;
	}

	private async snapshot(): Promise<Snapshot> {
		const seen = this.snapshotPromise;
		const current = seen ? await seen.catch(() => undefined) : undefined;
		if (current && Date.now() - current.loadedAt < this.ttlMs) return current;
		// Every caller that found it stale waited on the same promise: the first to wake reloads, and
		// the rest take that reload (a burst of turns once read the settings once per turn).
		if (this.snapshotPromise !== seen) return this.snapshot();
		const loading = (async () => {
			const [configs, models, aliasRows] = await Promise.all([
				listProviderConfigs(this.deps.db),
				listModels(this.deps.db),
				listAliases(this.deps.db)
			]);
			const aliases = new Map(aliasRows.map((a) => [a.name, a]));
			const effective = new Map(
				configs.map((row) => [row.id, effectiveConfig(row, kindDefinition(row.kind), this.deps.config)])
			);
			rememberKeys(effective.values(), this.deps.config);
			return { loadedAt: Date.now(), configs, models, aliases, effective };
		})();
		this.snapshotPromise = loading;
		return loading;
	}

	/** Forget what was read; the next call reads provider_configs and provider_models again. */
	invalidate(): void {
		this.snapshotPromise = undefined;
	}

	/** Settings were edited here: forget them now, and have every other process forget them too. */
	changed(): void {
		this.invalidate();
		this.deps.announce?.();
	}

	async listStates(): Promise<ProviderState[]> {
		const s = await this.snapshot();
		return s.configs.map((row) => {
			const e = s.effective.get(row.id)!;
			return {
				id: row.id,
				kind: row.kind,
				enabled: row.enabled,
				configured: e.problem === null,
				problem: e.problem,
				baseUrl: e.baseUrl,
				baseUrlSource: e.baseUrlSource,
				apiKeySource: e.apiKeySource,
				headers: e.headers,
				coolingDown: this.isCoolingDown(row.id),
				row
			};
		});
	}

	async defaultProviderId(): Promise<string | null> {
		const s = await this.snapshot();
		const env = this.deps.config.DEFAULT_PROVIDER;
		if (env && usable(s.effective.get(env))) return env;
		const marked = s.configs.find((r) => r.isDefault);
		if (marked && usable(s.effective.get(marked.id))) return marked.id;
		return s.configs.find((r) => usable(s.effective.get(r.id)))?.id ?? null;
	}

	async defaultModelId(providerId: string): Promise<string | null> {
		const s = await this.snapshot();
		const enabled = s.models.filter((m) => m.providerId === providerId && m.enabled);
		const preferred = s.configs.find((r) => r.id === providerId)?.defaultModelId;
		return enabled.find((m) => m.modelId === preferred)?.modelId ?? enabled[0]?.modelId ?? null;
	}

	/**
	 * The provider instance, built from its row and the environment, cached until its settings change:
	 * the SDK client, its connection pool and the decrypted key live as long as the configuration.
	 * A replaced instance's pool closes once the streams still using it have finished.
	 */
	async get(providerId: string): Promise<ChatProvider> {
		const s = await this.snapshot();
		const e = s.effective.get(providerId);
		if (!e) throw unknownProvider(providerId, s);
		if (e.problem || !e.definition) {
			throw new AppError(
				'precondition_failed',
				`The provider "${providerId}" is not configured: ${e.problem}`,
				{ field: 'providerId' }
			);
		}
		const fingerprint = JSON.stringify([
			e.row.kind,
			e.baseUrl,
			e.apiKey ?? '',
			e.allowPrivateNetwork,
			e.headers ?? {}
		]);
		const cached = this.instances.get(providerId);
		if (cached?.fingerprint === fingerprint) return cached.provider;
		const guarded = createGuardedFetch({ policy: { allowPrivateNetwork: e.allowPrivateNetwork } });
		const provider = e.definition.create({
			id: providerId,
			apiKey: e.apiKey,
			baseUrl: e.baseUrl,
			headers: e.headers,
			fetch: guarded,
			timeoutMs: this.deps.config.PROVIDER_TIMEOUT_MS,
			completeTimeoutMs: Math.max(this.deps.config.PROVIDER_TIMEOUT_MS, 600_000)
		});
		this.instances.set(providerId, { fingerprint, provider, fetch: guarded });
		cached?.fetch.close().catch(() => {});
		return provider;
	}

	/**
	 * Every model as last read (enabled or not), ordered by provider and model id: what generations
	 * choose from, so a request resolving a model name costs no query before its first token.
	 */
	async models(): Promise<ProviderModelRow[]> {
		return (await this.snapshot()).models;
	}

	/** The aliases as last read (the same TTL as providers, so a repointed alias is followed at once here). */
	async aliases(): Promise<ModelAliasRow[]> {
		return [...(await this.snapshot()).aliases.values()];
	}

	/**
	 * A model id may be an alias: it resolves to where the alias points now. An alias never hides a
	 * model: when the named provider has a model of that id, the model wins.
	 */
	async resolve(req: { providerId?: string | null; modelId?: string | null }): Promise<ResolvedModel> {
		const s = await this.snapshot();
		const alias = req.modelId ? s.aliases.get(req.modelId) : undefined;
		const shadowed =
			!!req.providerId && s.models.some((m) => m.providerId === req.providerId && m.modelId === req.modelId);
		if (alias && !shadowed) {
			const target = await this.resolveTarget({ providerId: alias.providerId, modelId: alias.modelId });
			return { ...target, alias: alias.name };
		}
		return this.resolveTarget({ providerId: req.providerId ?? undefined, modelId: req.modelId ?? undefined });
	}

	private async resolveTarget(req: { providerId?: string; modelId?: string }): Promise<ResolvedModel> {
		const s = await this.snapshot();
		const providerId = req.providerId ?? (await this.defaultProviderId());
		if (!providerId) {
			throw new AppError(
				'precondition_failed',
				'No provider is configured. Add an API key in Settings → Providers.',
				{
					field: 'providerId'
				}
			);
		}
		const e = s.effective.get(providerId);
		if (!e) throw unknownProvider(providerId, s);
		if (!e.row.enabled) {
			throw new AppError('precondition_failed', `The provider "${providerId}" is disabled.`, {
				field: 'providerId'
			});
		}
		const provider = await this.get(providerId);
		const definition = e.definition!;
		const modelId = req.modelId ?? (await this.defaultModelId(providerId));
		if (!modelId) {
			throw new AppError(
				'precondition_failed',
				`The provider "${providerId}" has no enabled models. Refresh its models in Settings → Providers.`,
				{ field: 'modelId' }
			);
		}
		const ofProvider = s.models.filter((m) => m.providerId === providerId);
		const model = ofProvider.find((m) => m.modelId === modelId);
		if (!model || !model.enabled) {
			const enabledIds = ofProvider.filter((m) => m.enabled).map((m) => m.modelId);
			const what = model
				? `The model "${modelId}" is disabled for ${providerId}.`
				: `Unknown model "${modelId}" for ${providerId}.`;
			throw new AppError('bad_request', what + didYouMean(modelId, enabledIds), { field: 'modelId' });
		}
		return { providerId, definition, provider, model };
	}

	/**
	 * The fallback chain: the requested provider and model first (its errors propagate), then every
	 * other enabled and configured provider by priority with its default model, skipping those
	 * cooling down after repeated failures.
	 */
	async candidates(
		req: { providerId?: string; modelId?: string },
		needs: ModelNeeds
	): Promise<ResolvedModel[]> {
		const first = await this.resolve(req);
		const s = await this.snapshot();
		// The API token behind the call may name the models it may use: checked here, where every door
		// picks its models, after alias resolution and for each fallback (one outside the list is skipped).
		const { grant } = needs;
		const allowed = (m: ResolvedModel) =>
			modelAllowed(grant, { providerId: m.providerId, modelId: m.model.modelId, alias: m.alias }, s.aliases);
		if (grant && !allowed(first)) {
			throw modelRefused(grant, { providerId: first.providerId, modelId: first.model.modelId });
		}
		if (needs.vision && !first.model.capabilities.vision) throw cannotSeeImages(first, s);
		const chain = [first];
		for (const row of s.configs) {
			if (row.id === first.providerId || !usable(s.effective.get(row.id)) || this.isCoolingDown(row.id))
				continue;
			// With images, a fallback is the provider's default model if it reads them, else its first that does.
			const modelId = needs.vision
				? firstVisionModel(s, row.id, await this.defaultModelId(row.id))
				: await this.defaultModelId(row.id);
			if (!modelId) continue;
			// A fallback that cannot be built is skipped: it must never break the requested one.
			const resolved = await this.resolve({ providerId: row.id, modelId }).catch(() => undefined);
			if (resolved && allowed(resolved)) chain.push(resolved);
		}
		return chain;
	}

	/**
	 * Fits a request to the model: sampling parameters only where its capabilities allow them, maxTokens
	 * clamped to its output limit, the token limit filled in where the kind requires one, and cache
	 * breakpoints only where the kind takes them and the model's setting is on.
	 */
	prepareRequest(resolved: ResolvedModel, request: ChatRequest): ChatRequest {
		const { model } = resolved;
		const prepared: ChatRequest = { ...request, model: model.modelId };
		const supports = samplingSupport(model.capabilities);
		if (!supports.temperature) delete prepared.temperature;
		if (!supports.topP) delete prepared.topP;
		if (!supports.stop) delete prepared.stop;
		if (!supports.seed) delete prepared.seed;
		if (!cachesPrompts(resolved)) delete prepared.promptCaching;
		if (!model.capabilities.vision && hasImages(prepared.messages))
			prepared.messages = withoutImages(prepared.messages);
		const limit = model.maxOutputTokens ?? undefined;
		if (prepared.maxTokens !== undefined && limit !== undefined)
			prepared.maxTokens = Math.min(prepared.maxTokens, limit);
		const required = resolved.definition.requiredMaxTokens;
		if (prepared.maxTokens === undefined && required !== null) {
			prepared.maxTokens = Math.min(limit ?? required, required);
		}
		return prepared;
	}

	/** Asks the provider for its models and records them (models.refresh). */
	async discoverModels(providerId: string, signal?: AbortSignal): Promise<DiscoveryCounts> {
		const provider = await this.get(providerId);
		const discovered = await provider.listModels(signal);
		const definition = (await this.snapshot()).effective.get(providerId)?.definition;
		const counts = await upsertDiscoveredModels(this.deps.db, providerId, discovered, {
			capabilities: definition?.discoveredCapabilities ?? { temperature: true }
		});
		this.changed();
		return counts;
	}

	reportFailure(providerId: string, error: ProviderError): void {
		this.cooldown.reportFailure(providerId, error);
	}

	reportSuccess(providerId: string): void {
		this.cooldown.reportSuccess(providerId);
	}

	isCoolingDown(providerId: string): boolean {
		return this.cooldown.isCoolingDown(providerId);
	}

	/** A cooldown another process started (ms > 0) or ended (0). */
	applyCooldown(providerId: string, ms: number): void {
		this.cooldown.applyCooldown(providerId, ms);
	}
}

/** What the request needs from a model: `vision` when the message being answered carries images. */
/**
 * What the models picked for a call must allow: the caller's token grant (required, so no door can
 * leave its allow-list out; null for a session) and, with images, reading them.
 */
export type ModelNeeds = { grant: TokenGrant | null; vision?: boolean };

function firstVisionModel(s: Snapshot, providerId: string, preferred: string | null): string | null {
	const seeing = s.models.filter((m) => m.providerId === providerId && m.enabled && m.capabilities.vision);
	return seeing.find((m) => m.modelId === preferred)?.modelId ?? seeing[0]?.modelId ?? null;
}

/** Refused before any call, naming the enabled models of usable providers that would read the images. */
function cannotSeeImages(resolved: ResolvedModel, s: Snapshot): AppError {
	const seeing = s.models
		.filter((m) => m.enabled && m.capabilities.vision && usable(s.effective.get(m.providerId)))
		.map((m) => `${m.providerId}/${m.modelId}`);
	const which = seeing.length
		? ` Models that can: ${seeing.slice(0, 8).join(', ')}${seeing.length > 8 ? ', …' : ''}.`
		: ' No configured model can; an admin can mark one as reading images in Settings → Providers.';
	return new AppError(
		'bad_request',
		`${resolved.providerId}/${resolved.model.modelId} cannot read images.${which}`,
		{ field: 'modelId' }
	);
}

/** Every key the configuration holds, in use or not, is redacted from provider messages. */
function rememberKeys(effective: Iterable<EffectiveConfig>, config: Env): void {
	for (const e of effective) e.heldKeys.forEach((key) => configuredKeys.remember(key));
	for (const kind of Object.values(providerKinds)) configuredKeys.remember(kindEnv(kind, config).apiKey);
}

function unknownProvider(providerId: string, s: Snapshot): AppError {
	return new AppError(
		'bad_request',
		`Unknown provider "${providerId}".${didYouMean(
			providerId,
			s.configs.map((c) => c.id)
		)}`,
		{
			field: 'providerId'
		}
	);
}
