import type { ProviderCreateInput, ProviderUpdateInput } from '$lib/schemas/providers';
import { keyHint, sealApiKey, sealHeaderMap } from '../crypto';
import type { Db } from '../db/client';
import {
	deleteProviderConfig,
	getProviderConfig,
	insertProviderConfig,
	listProviderConfigs,
	providerIdTaken,
	updateProviderConfig,
	type ProviderConfigPatch,
	type ProviderConfigRow
} from '../db/repositories/provider-repository';
import type { Env } from '../env-schema';
import { AppError } from '../errors';
import { kindDefinition, providerKinds } from '../providers/kinds';
import type { ProviderManager, ProviderState } from './provider-manager';
import { homeBaseUrl, hostOf, storedKeyHost, type KeySettings } from '../providers/provider-config';
import { providerSettings } from '$lib/schemas/provider-settings';
import { describeKind, kindEnv } from '../providers/provider-kind';
import { checkUrl } from '../providers/url-policy';
import { ProviderError } from '../providers/types';
import { providerAuditEntries, providerLifecycleEntry } from './audit-changes';
import type { AuditActor, AuditService } from './audit-service';

/** Provider settings as the API shows them: never a key, only whether one exists and its last 4 characters. */
function toProviderInfo(state: ProviderState, defaultId: string | null, config: Env) {
	const { row } = state;
	const definition = kindDefinition(row.kind);
	const envKey = definition && kindEnv(definition, config, row.id).apiKey;
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
		/** What differs between kinds, for the UI: it never names a kind itself. */
		kindInfo: definition ? describeKind(definition) : null,
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
		/** Names only: header values are secrets like keys. */
		extraHeaderNames: Object.keys(state.headers ?? {}),
		/** Built-in rows come from the seed and the environment; they can be disabled, not deleted. */
		builtIn: definition !== undefined && row.id === definition.kind,
		defaultModelId: row.defaultModelId,
		allowPrivateNetwork: providerSettings(row).allowPrivateNetwork ?? null,
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

/**
 * What an admin does to providers (`ctx.app.providerAdmin`): list, add, change, remove and test their
 * stored settings. The running clients are ProviderManager's, told here when settings change.
 */
export class ProviderAdminService {
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

	/** The kinds an admin can add, with what each needs (the Add provider form reads these). */
	kinds() {
		return Object.values(providerKinds).map((d) => ({ kind: d.kind, ...describeKind(d) }));
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
		const kind = kindDefinition(current.kind);
		const patch: ProviderConfigPatch = {};
		if (input.enabled !== undefined) patch.enabled = input.enabled;
		if (input.isDefault !== undefined) patch.isDefault = input.isDefault;
		if (input.priority !== undefined) patch.priority = input.priority;
		if (input.defaultModelId !== undefined) patch.defaultModelId = input.defaultModelId;
		if (input.settings) patch.settings = input.settings;
		if (input.baseUrl !== undefined) {
			const allowPrivateNetwork =
				input.settings?.allowPrivateNetwork ??
				providerSettings(current).allowPrivateNetwork ??
				kind?.privateNetworkByDefault ??
				false;
			if (input.baseUrl !== null) {
				const check = checkUrl(input.baseUrl, { allowPrivateNetwork });
				if (!check.ok)
					throw new AppError('bad_request', `This base URL ${check.reason}.`, { field: 'baseUrl' });
			}
			patch.baseUrl = input.baseUrl;
		}
		if (input.displayName !== undefined) patch.displayName = input.displayName;
		if (input.headers !== undefined) patch.extraHeadersEncrypted = sealHeaderMap(input.headers, config);
		const home = kind ? homeBaseUrl(kind, config, current.id) : '';
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

	/**
	 * Adds a provider of any kind. Ids are never reused, not even a deleted provider's: usage rows
	 * and messages name providers by id, and a new one must not inherit that history.
	 */
	async create(input: ProviderCreateInput, actor: AuditActor): Promise<ProviderInfo> {
		const { db, config, providers } = this.deps;
		const definition = kindDefinition(input.kind);
		if (!definition) throw new AppError('bad_request', `Unknown kind "${input.kind}".`, { field: 'kind' });
		if (!input.baseUrl && definition.defaultBaseUrl === null) {
			throw new AppError('bad_request', `${definition.label}: enter its base URL.`, { field: 'baseUrl' });
		}
		const allowPrivateNetwork = input.allowPrivateNetwork ?? definition.privateNetworkByDefault;
		if (input.baseUrl) {
			const check = checkUrl(input.baseUrl, { allowPrivateNetwork });
			if (!check.ok)
				throw new AppError('bad_request', `This base URL ${check.reason}.`, { field: 'baseUrl' });
		}
		const baseUrl = input.baseUrl ?? definition.defaultBaseUrl ?? '';
		await db.transaction(async (tx) => {
			if (await providerIdTaken(tx, input.providerId)) {
				throw new AppError(
					'conflict',
					`The id "${input.providerId}" is taken (deleted providers keep theirs for their history). Choose another.`,
					{ field: 'providerId' }
				);
			}
			const row = await insertProviderConfig(tx, {
				id: input.providerId,
				kind: input.kind,
				displayName: input.displayName,
				enabled: input.enabled,
				baseUrl: input.baseUrl ?? null,
				...sealApiKey(input.apiKey ?? null, config),
				extraHeadersEncrypted: sealHeaderMap(input.headers ?? null, config),
				isDefault: input.isDefault,
				priority: input.priority,
				settings: {
					allowPrivateNetwork,
					...(input.apiKey ? { apiKeyHost: hostOf(baseUrl) } : {})
				}
			});
			await this.deps.audit.record(tx, actor, [providerLifecycleEntry('provider.created', row)]);
		});
		providers.changed();
		return this.get(input.providerId);
	}

	/**
	 * Deletes a provider an admin added. The row stays, marked deleted (see provider-repository), so
	 * chats, messages and usage rows that name it keep reading as before; built-in rows are disabled instead.
	 */
	async delete(providerId: string, actor: AuditActor): Promise<{ deleted: true }> {
		const { db, providers } = this.deps;
		const current = await getProviderConfig(db, providerId);
		if (!current) throw new AppError('not_found', `Unknown provider "${providerId}".`);
		if (current.id === current.kind) {
			throw new AppError(
				'bad_request',
				`"${current.displayName}" is built in and cannot be deleted; disable it instead.`,
				{ field: 'providerId' }
			);
		}
		await db.transaction(async (tx) => {
			const row = await deleteProviderConfig(tx, providerId);
			if (row) await this.deps.audit.record(tx, actor, [providerLifecycleEntry('provider.deleted', row)]);
		});
		providers.changed();
		return { deleted: true };
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
