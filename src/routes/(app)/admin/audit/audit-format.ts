import type { AuditAction, AuditChanges, AuditTargetType, AuditValue } from '$lib/schemas/audit';
import { formatPrice } from '$lib/components/format';

/** What each action is called on the page; a Record, so a new action cannot ship without a label. */
export const actionLabels: Record<AuditAction, string> = {
	'provider.key_set': 'API key set',
	'provider.key_cleared': 'API key cleared',
	'provider.base_url_changed': 'Base URL changed',
	'provider.enabled': 'Provider enabled',
	'provider.disabled': 'Provider disabled',
	'provider.default_changed': 'Default provider changed',
	'provider.priority_changed': 'Priority changed',
	'provider.default_model_changed': 'Default model changed',
	'provider.settings_changed': 'Provider settings changed',
	'provider.created': 'Provider added',
	'provider.deleted': 'Provider deleted',
	'provider.renamed': 'Provider renamed',
	'provider.headers_changed': 'Extra headers changed',
	'model.prices_changed': 'Model prices changed',
	'model.enabled': 'Model enabled',
	'model.disabled': 'Model disabled',
	'model.limits_changed': 'Model limits changed',
	'model.added': 'Model added',
	'model.deleted': 'Model deleted',
	'model.edited': 'Model edited',
	'alias.set': 'Alias set',
	'alias.deleted': 'Alias deleted',
	'user.role_changed': 'Role changed',
	'user.disabled': 'User disabled',
	'user.enabled': 'User enabled',
	'token.created': 'API token created',
	'token.revoked': 'API token revoked',
	'user.limits_changed': 'User budget or caps changed',
	'settings.limits_changed': 'Budgets and limits changed'
};

export const targetTypeLabels: Record<AuditTargetType, string> = {
	provider: 'Provider',
	model: 'Model',
	user: 'User',
	api_token: 'API token',
	alias: 'Model alias',
	settings: 'Settings'
};

const fieldLabels: Record<string, string> = {
	apiKey: 'API key',
	baseUrl: 'Base URL',
	enabled: 'Enabled',
	defaultProvider: 'Default',
	priority: 'Priority',
	defaultModelId: 'Default model',
	'settings.allowPrivateNetwork': 'Private network',
	inputPricePerMTok: 'Input $/M',
	outputPricePerMTok: 'Output $/M',
	cacheReadPricePerMTok: 'Cache read $/M',
	cacheWritePricePerMTok: 'Cache write $/M',
	contextWindow: 'Context window',
	maxOutputTokens: 'Max output',
	supportsTemperature: 'Temperature',
	supportsVision: 'Images',
	promptCaching: 'Prompt caching',
	role: 'Role',
	disabled: 'Disabled',
	name: 'Name',
	monthlyBudgetUsd: 'Monthly budget',
	maxConcurrent: 'Answers at once',
	requestsPerMinute: 'Requests a minute',
	memberMonthlyBudgetUsd: "Members' monthly budget",
	allowUnpricedForBudgeted: 'Unpriced models for budgeted users',
	memberMaxConcurrent: "Members' answers at once",
	memberRequestsPerMinute: "Members' requests a minute",
	adminMaxConcurrent: "Admins' answers at once",
	adminRequestsPerMinute: "Admins' requests a minute"
};

/** Budgets and caps whose null means "the default" (the role's, or the built-in one), not "none". */
const limitFields = new Set([
	'monthlyBudgetUsd',
	'maxConcurrent',
	'requestsPerMinute',
	'memberMaxConcurrent',
	'memberRequestsPerMinute',
	'adminMaxConcurrent',
	'adminRequestsPerMinute'
]);
const budgetFields = new Set(['monthlyBudgetUsd', 'memberMonthlyBudgetUsd']);

const priceFields = new Set([
	'inputPricePerMTok',
	'outputPricePerMTok',
	'cacheReadPricePerMTok',
	'cacheWritePricePerMTok'
]);

/** `side` tells a key that was there ("a key") from the one just entered ("new key"). */
export function formatAuditValue(field: string, value: AuditValue, side: 'from' | 'to'): string {
	// An unknown cache price is not "no price": those tokens are then charged as plain input.
	if (value === null && field.startsWith('cache') && priceFields.has(field)) return 'as input';
	if (value === null && field === 'memberMonthlyBudgetUsd') return 'none';
	if (value === null && limitFields.has(field)) return 'default';
	if (value === null) return priceFields.has(field) ? formatPrice(null) : '—';
	if (typeof value === 'number' && budgetFields.has(field)) return `$${value}`;
	if (typeof value === 'object') return 'cleared' in value ? 'cleared' : side === 'to' ? 'new key' : 'a key';
	if (typeof value === 'boolean') return value ? 'yes' : 'no';
	if (typeof value === 'number' && priceFields.has(field)) return formatPrice(value);
	return String(value);
}

export type ChangeLine = { field: string; from: string; to: string };

/** One line per changed field, with readable names and values. */
export function changeLines(changes: AuditChanges): ChangeLine[] {
	return Object.entries(changes).map(([field, { from, to }]) => ({
		field: fieldLabels[field] ?? field,
		from: formatAuditValue(field, from, 'from'),
		to: formatAuditValue(field, to, 'to')
	}));
}

/** Day and time in UTC to the second, like the date filters (whole UTC days). */
export function formatAuditTime(date: Date): { day: string; time: string } {
	const iso = date.toISOString();
	return { day: iso.slice(0, 10), time: `${iso.slice(11, 19)} UTC` };
}

/**
 * The API's range from the page's date inputs (YYYY-MM-DD, UTC days, both inclusive): `to`
 * becomes the start of the following day, which the API treats as exclusive.
 */
export function dayRange(fromDay: string, toDay: string): { from?: Date; to?: Date } {
	const day = (text: string) => (text ? new Date(`${text}T00:00:00Z`) : undefined);
	const from = day(fromDay);
	const end = day(toDay);
	return { from, to: end && new Date(end.getTime() + 86_400_000) };
}
