import type { BudgetRefusal } from '$lib/schemas/budget';
import type { Caller } from '../auth/caller';
import type { Prices } from './cost';

/** The budgets that apply to a call, as numbers; null when none does. */
export type Limits = { user: number | null; token: number | null };

/** The first instant of the calendar month (UTC) that `now` is in: spend counts from here. */
export function monthStart(now: Date): Date {
	return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

/** When this month's spend starts again from zero: the first day of next month, 00:00 UTC. */
export function nextReset(now: Date): Date {
	return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
}

/**
 * The budgets a caller is under: their own, else their role's default (members only: admins set
 * the budgets and have none unless one is set on them), and the token's.
 */
export function limitsFor(caller: Caller, memberDefaultUsd: string | null): Limits {
	const user = caller.budgetUsd ?? (caller.role === 'member' ? memberDefaultUsd : null);
	return {
		user: user === null ? null : Number(user),
		token: caller.tokenBudgetUsd === null ? null : Number(caller.tokenBudgetUsd)
	};
}

export function hasBudget(limits: Limits): boolean {
	return limits.user !== null || limits.token !== null;
}

/** A model whose price is unknown: its calls would count as nothing against a budget. */
export function isUnpriced(prices: Prices): boolean {
	return prices.inputPricePerMTok === null || prices.outputPricePerMTok === null;
}

/**
 * The first budget already reached, if any. A call is refused only when the spend has reached the
 * limit before it starts: an answer that crosses it while streaming finishes, and the next is refused.
 */
export function overBudget(
	limits: Limits,
	spent: { user: number; token: number },
	now: Date
): BudgetRefusal | null {
	const resetsAt = nextReset(now).toISOString();
	if (limits.user !== null && spent.user >= limits.user) {
		return { reason: 'over_budget', scope: 'user', spentUsd: spent.user, limitUsd: limits.user, resetsAt };
	}
	if (limits.token !== null && spent.token >= limits.token) {
		return { reason: 'over_budget', scope: 'token', spentUsd: spent.token, limitUsd: limits.token, resetsAt };
	}
	return null;
}

/** USD for people: cents for sums of a dollar or more, else enough digits to show a small budget. */
export function formatUsd(value: number): string {
	if (value >= 1) return `$${value.toFixed(2)}`;
	return `$${Number(value.toFixed(6)).toString()}`;
}

/** The sentence a refused person reads, in the UI, the SDK, the CLI and the compatible APIs. */
export function refusalMessage(refusal: BudgetRefusal): string {
	const whose = refusal.scope === 'token' ? "This API token's" : 'Your';
	const resets = refusal.resetsAt.slice(0, 10);
	if (refusal.reason === 'unpriced_model') {
		return `${whose} monthly budget of ${formatUsd(refusal.limitUsd)} cannot count this model's cost (its price is unknown), so it is not available to you. Choose a priced model.`;
	}
	return `${whose} monthly budget is used up: ${formatUsd(refusal.spentUsd)} spent of ${formatUsd(refusal.limitUsd)}. It resets on ${resets} (UTC).`;
}
