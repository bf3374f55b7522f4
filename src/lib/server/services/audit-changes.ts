import type { AuditAction, AuditChanges, AuditTargetType, AuditValue } from '$lib/schemas/audit';
import type { ProviderModelRow } from '../db/repositories/model-repository';
import type { ProviderConfigRow } from '../db/repositories/provider-repository';
import type { AppSettingsValues } from '../db/repositories/settings-repository';
import type { ApiTokenRow } from '../db/repositories/token-repository';
import type { UserRow } from '../db/repositories/user-repository';
import { toNumber } from './dto';

/*
 * Pure translations of "row before, row after" into audit entries. Diffing the stored rows (rather
 * than the request) records what really changed, including what a change implied (a key cleared by a
 * base URL move), and nothing for a field sent with its current value.
 */

export type AuditTarget = { type: AuditTargetType; id: string; label: string | null };
export type AuditEntry = { action: AuditAction; target: AuditTarget; changes: AuditChanges };

/** Settings are free-form JSON: primitives are kept, anything else is recorded as its JSON text. */
function toAuditValue(value: unknown): AuditValue {
	if (value === undefined || value === null) return null;
	if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
	return JSON.stringify(value);
}

/** The fields whose value differs, as `{ field: { from, to } }`. */
function diff(fields: Record<string, [AuditValue, AuditValue]>): AuditChanges {
	const changes: AuditChanges = {};
	for (const [field, [from, to]] of Object.entries(fields)) {
		if (from !== to) changes[field] = { from, to };
	}
	return changes;
}

function push(entries: AuditEntry[], action: AuditAction, target: AuditTarget, changes: AuditChanges) {
	if (Object.keys(changes).length) entries.push({ action, target, changes });
}

/**
 * A provider update. The key is compared by its ciphertext (a new key always seals differently) and
 * recorded only as set or cleared. `defaults` are the ids marked default before and after.
 */
export function providerAuditEntries(
	before: ProviderConfigRow,
	after: ProviderConfigRow,
	defaults: { from: string | null; to: string | null }
): AuditEntry[] {
	const target: AuditTarget = { type: 'provider', id: after.id, label: after.displayName };
	const entries: AuditEntry[] = [];
	if (before.apiKeyEncrypted !== after.apiKeyEncrypted) {
		const from = before.apiKeyEncrypted ? { set: true as const } : null;
		if (after.apiKeyEncrypted)
			push(entries, 'provider.key_set', target, { apiKey: { from, to: { set: true } } });
		else push(entries, 'provider.key_cleared', target, { apiKey: { from, to: { cleared: true } } });
	}
	push(entries, 'provider.renamed', target, diff({ displayName: [before.displayName, after.displayName] }));
	if (before.extraHeadersEncrypted !== after.extraHeadersEncrypted) {
		// Header values are secrets: recorded like a key, as set or cleared.
		const from = before.extraHeadersEncrypted ? { set: true as const } : null;
		const to = after.extraHeadersEncrypted ? { set: true as const } : { cleared: true as const };
		push(entries, 'provider.headers_changed', target, { headers: { from, to } });
	}
	push(entries, 'provider.base_url_changed', target, diff({ baseUrl: [before.baseUrl, after.baseUrl] }));
	push(
		entries,
		after.enabled ? 'provider.enabled' : 'provider.disabled',
		target,
		diff({ enabled: [before.enabled, after.enabled] })
	);
	push(entries, 'provider.default_changed', target, diff({ defaultProvider: [defaults.from, defaults.to] }));
	push(entries, 'provider.priority_changed', target, diff({ priority: [before.priority, after.priority] }));
	push(
		entries,
		'provider.default_model_changed',
		target,
		diff({ defaultModelId: [before.defaultModelId, after.defaultModelId] })
	);
	// apiKeyHost is the key's own bookkeeping (the host it was entered for): it changes with the key,
	// whose set or cleared entry already records that change.
	const settingKeys = new Set(
		[...Object.keys(before.settings), ...Object.keys(after.settings)].filter((key) => key !== 'apiKeyHost')
	);
	const settings = Object.fromEntries(
		[...settingKeys].map((key): [string, [AuditValue, AuditValue]] => [
			`settings.${key}`,
			[toAuditValue(before.settings[key]), toAuditValue(after.settings[key])]
		])
	);
	push(entries, 'provider.settings_changed', target, diff(settings));
	return entries;
}

/** A model update: prices, the enabled flag, and its limits and capabilities. */
export function modelAuditEntries(before: ProviderModelRow, after: ProviderModelRow): AuditEntry[] {
	const target: AuditTarget = {
		type: 'model',
		id: `${after.providerId}/${after.modelId}`,
		label: after.displayName
	};
	const entries: AuditEntry[] = [];
	push(
		entries,
		'model.prices_changed',
		target,
		diff({
			inputPricePerMTok: [toNumber(before.inputPricePerMTok), toNumber(after.inputPricePerMTok)],
			outputPricePerMTok: [toNumber(before.outputPricePerMTok), toNumber(after.outputPricePerMTok)],
			cacheReadPricePerMTok: [toNumber(before.cacheReadPricePerMTok), toNumber(after.cacheReadPricePerMTok)],
			cacheWritePricePerMTok: [
				toNumber(before.cacheWritePricePerMTok),
				toNumber(after.cacheWritePricePerMTok)
			]
		})
	);
	push(
		entries,
		after.enabled ? 'model.enabled' : 'model.disabled',
		target,
		diff({ enabled: [before.enabled, after.enabled] })
	);
	push(
		entries,
		'model.limits_changed',
		target,
		diff({
			contextWindow: [before.contextWindow, after.contextWindow],
			maxOutputTokens: [before.maxOutputTokens, after.maxOutputTokens],
			supportsTemperature: [before.capabilities.temperature, after.capabilities.temperature],
			supportsVision: [before.capabilities.vision === true, after.capabilities.vision === true],
			promptCaching: [before.capabilities.promptCaching !== false, after.capabilities.promptCaching !== false]
		})
	);
	return entries;
}

/** An account's role and disabled flag (never its password hash). */
export function userAuditEntries(before: UserRow, after: UserRow): AuditEntry[] {
	const target: AuditTarget = { type: 'user', id: after.id, label: after.email };
	const entries: AuditEntry[] = [];
	push(entries, 'user.role_changed', target, diff({ role: [before.role, after.role] }));
	push(
		entries,
		after.disabled ? 'user.disabled' : 'user.enabled',
		target,
		diff({ disabled: [before.disabled, after.disabled] })
	);
	return entries;
}

/** A token by its name and owner; its secret and hash never leave the token table. */
export function tokenAuditEntry(
	action: Extract<AuditAction, 'token.created' | 'token.revoked'>,
	token: Pick<ApiTokenRow, 'id' | 'name'>,
	ownerEmail: string
): AuditEntry {
	const created = action === 'token.created';
	return {
		action,
		target: { type: 'api_token', id: token.id, label: `${token.name} (${ownerEmail})` },
		changes: { name: { from: created ? null : token.name, to: created ? token.name : null } }
	};
}

/** A provider added or deleted: what identifies it, never its key or headers. */
export function providerLifecycleEntry(
	action: Extract<AuditAction, 'provider.created' | 'provider.deleted'>,
	row: ProviderConfigRow
): AuditEntry {
	const created = action === 'provider.created';
	const change = (value: AuditValue) => (created ? { from: null, to: value } : { from: value, to: null });
	return {
		action,
		target: { type: 'provider', id: row.id, label: row.displayName },
		changes: { kind: change(row.kind), baseUrl: change(row.baseUrl) }
	};
}

/** A model added or deleted by hand, an alias set or deleted: what it is, once. */
export function catalogEntry(
	action: Extract<AuditAction, 'model.added' | 'model.deleted' | 'alias.set' | 'alias.deleted'>,
	target: AuditTarget,
	changes: AuditChanges
): AuditEntry {
	return { action, target, changes };
}

/** An account's own budget and caps, set by an admin (null: the role's). */
export function userLimitsAuditEntries(before: UserRow, after: UserRow): AuditEntry[] {
	const entries: AuditEntry[] = [];
	push(
		entries,
		'user.limits_changed',
		{ type: 'user', id: after.id, label: after.email },
		diff({
			monthlyBudgetUsd: [toNumber(before.monthlyBudgetUsd), toNumber(after.monthlyBudgetUsd)],
			maxConcurrent: [before.maxConcurrent, after.maxConcurrent],
			requestsPerMinute: [before.requestsPerMinute, after.requestsPerMinute]
		})
	);
	return entries;
}

/** The budgets' and limits' settings: the members' default budget, unpriced models, each role's caps. */
export function appSettingsAuditEntries(before: AppSettingsValues, after: AppSettingsValues): AuditEntry[] {
	const entries: AuditEntry[] = [];
	push(
		entries,
		'settings.limits_changed',
		{ type: 'settings', id: 'limits', label: 'Budgets and limits' },
		diff({
			memberMonthlyBudgetUsd: [
				toNumber(before.memberMonthlyBudgetUsd),
				toNumber(after.memberMonthlyBudgetUsd)
			],
			allowUnpricedForBudgeted: [before.allowUnpricedForBudgeted, after.allowUnpricedForBudgeted],
			memberMaxConcurrent: [before.memberMaxConcurrent, after.memberMaxConcurrent],
			memberRequestsPerMinute: [before.memberRequestsPerMinute, after.memberRequestsPerMinute],
			adminMaxConcurrent: [before.adminMaxConcurrent, after.adminMaxConcurrent],
			adminRequestsPerMinute: [before.adminRequestsPerMinute, after.adminRequestsPerMinute]
		})
	);
	return entries;
}
