import type { ProviderUpdateInput } from '$lib/schemas/providers';
import { keyHint, sealApiKey } from '../crypto';
import type { Db } from '../db/client';
import {
	getProviderConfig,
	listProviderConfigs,
	updateProviderConfig,
	type ProviderConfigPatch,
	type ProviderConfigRow
} from '../db/repositories/provider-repository';
import type { Env } from '../env-schema';
import { AppError } from '../errors';
import { providerKinds, type ProviderManager, type ProviderState } from '../providers/registry';
import { homeBaseUrl, hostOf, storedKeyHost, type KeySettings } from '../providers/provider-config';
import { checkUrl } from '../providers/url-policy';
import { ProviderError, type ProviderKind } from '../providers/types';
import { providerAuditEntries } from './audit-changes';
import type { AuditActor, AuditService } from './audit-service';

/** Provider settings as the API shows them: never a key, only whether one exists and its last 4 characters. */
function toProviderInfo(state: ProviderState, defaultId: string | null, config: Env) {
	const { row } = state;
	const envKey = providerKinds[row.kind as ProviderKind]?.fromEnv(config).apiKey;
	const hint =
		state.apiKeySource === 'database'
			? row.apiKeyHint
			: state.apiKeySource === 'environment' && envKey
				? keyHint(envKey)
				: null;
	const status = !row.enabled
		? 'disabled'
		: !state.configured
			? 'not_configured'
			: state.coolingDown
				? 'cooling_down'
				: 'ready';
	return {
		id: row.id,
		kind: row.kind,
		displayName: row.displayName,
		enabled: row.enabled,
		configured: state.configured,
		isDefault: row.id === defaultId,
		priority: row.priority,
		baseUrl: state.baseUrl,
		baseUrlSource: state.baseUrlSource,
		hasApiKey: state.apiKeySource !== null,
		apiKeySource: state.apiKeySource,
		keyHint: hint || null,
		defaultModelId: row.defaultModelId,
		allowPrivateNetwork: (row.settings as { allowPrivateNetwork?: boolean }).allowPrivateNetwork ?? null,
		status: status as 'disabled' | 'not_configured' | 'cooling_down' | 'ready',
		problem: state.problem
	};
}

export type ProviderInfo = ReturnType<typeof toProviderInfo>;

/**
 * The key columns an update writes, if any. A new key is bound to the host it is entered for
 * (provider-config.ts sends it nowhere else); a stored key never follows the base URL to another
 * host: without a new key it is cleared and must be entered again.
 */
function keyPatch(
	current: ProviderConfigRow,
	apiKey: string | null | undefined,
	keyHost: string,
	next: { host: string; moved: boolean },
	config: Env
): { columns: ProviderConfigPatch; settings: KeySettings } | null {
	const moves =
		apiKey === undefined && current.apiKeyEncrypted !== null && next.moved && keyHost !== next.host;
	const key = moves ? null : apiKey;
	if (key === undefined) return null;
	return { columns: sealApiKey(key, config), settings: { apiKeyHost: key === null ? null : next.host } };
}

export class ProviderService {
	constructor(
		private readonly deps: { db: Db; config: Env; providers: ProviderManager; audit: AuditService }
	) {}

	async list(): Promise<ProviderInfo[]> {
		const [states, defaultId] = await Promise.all([
			this.deps.providers.listStates(),
			this.deps.providers.defaultProviderId()
		]);
		return states.map((s) => toProviderInfo(s, defaultId, this.deps.config));
	}

	async get(providerId: string): Promise<ProviderInfo> {
		const info = (await this.list()).find((p) => p.id === providerId);
		if (!info) throw new AppError('not_found', `Unknown provider "${providerId}".`);
		return info;
	}

	async update(input: ProviderUpdateInput, actor: AuditActor): Promise<ProviderInfo> {
		const { db, config, providers } = this.deps;
		const current = await getProviderConfig(db, input.providerId);
		if (!current) throw new AppError('not_found', `Unknown provider "${input.providerId}".`);
		const kind = providerKinds[current.kind as ProviderKind];
		const patch: ProviderConfigPatch = {};
		if (input.enabled !== undefined) patch.enabled = input.enabled;
		if (input.isDefault !== undefined) patch.isDefault = input.isDefault;
		if (input.priority !== undefined) patch.priority = input.priority;
		if (input.defaultModelId !== undefined) patch.defaultModelId = input.defaultModelId;
		if (input.settings) patch.settings = input.settings;
		if (input.baseUrl !== undefined) {
			const allowPrivateNetwork =
				input.settings?.allowPrivateNetwork ??
				(current.settings as { allowPrivateNetwork?: boolean }).allowPrivateNetwork ??
				kind.privateNetworkByDefault;
			if (input.baseUrl !== null) {
				const check = checkUrl(input.baseUrl, { allowPrivateNetwork });
				if (!check.ok)
					throw new AppError('bad_request', `This base URL ${check.reason}.`, { field: 'baseUrl' });
			}
			patch.baseUrl = input.baseUrl;
		}
		const home = kind ? homeBaseUrl(kind, config) : '';
		const nextBaseUrl = (patch.baseUrl === undefined ? current.baseUrl : patch.baseUrl) ?? home;
		const next = { host: hostOf(nextBaseUrl), moved: input.baseUrl !== undefined };
		const keys = keyPatch(current, input.apiKey, storedKeyHost(current, home), next, config);
		if (keys) {
			Object.assign(patch, keys.columns);
			patch.settings = { ...patch.settings, ...keys.settings };
		}
		await this.applyAudited(current, patch, actor);
		providers.changed();
		return this.get(input.providerId);
	}

	/** The patch and its audit rows in one transaction; the default before is read to record the switch. */
	private async applyAudited(before: ProviderConfigRow, patch: ProviderConfigPatch, actor: AuditActor) {
		await this.deps.db.transaction(async (tx) => {
			const defaultBefore = (await listProviderConfigs(tx)).find((p) => p.isDefault)?.id ?? null;
			const after = await updateProviderConfig(tx, before.id, patch);
			if (!after) return;
			const defaultAfter = after.isDefault ? after.id : defaultBefore === after.id ? null : defaultBefore;
			await this.deps.audit.record(
				tx,
				actor,
				providerAuditEntries(before, after, { from: defaultBefore, to: defaultAfter })
			);
		});
	}

	/** A live check: reachable, key accepted, models listed. Failures are results, not exceptions. */
	async test(providerId: string) {
		const started = performance.now();
		try {
			const provider = await this.deps.providers.get(providerId);
			const signal = AbortSignal.timeout(Math.min(this.deps.config.PROVIDER_TIMEOUT_MS, 20_000));
			await provider.checkHealth(signal);
			const models = await provider.listModels(signal);
			return {
				ok: true as const,
				latencyMs: Math.round(performance.now() - started),
				modelsSeen: models.length
			};
		} catch (error) {
			if (error instanceof ProviderError || error instanceof AppError) {
				const code = error instanceof ProviderError ? error.code : 'unavailable';
				return {
					ok: false as const,
					latencyMs: Math.round(performance.now() - started),
					error: { code, message: error.message }
				};
			}
			throw error;
		}
	}
}
