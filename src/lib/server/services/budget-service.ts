import type { BudgetRefusal, BudgetStatus } from '$lib/schemas/budget';
import type { Caller } from '../auth/caller';
import type { Db } from '../db/client';
import { spendByToken, spendByUser } from '../db/repositories/usage-repository';
import { AppError } from '../errors';
import {
	hasBudget,
	isUnpriced,
	limitsFor,
	monthStart,
	nextReset,
	overBudget,
	refusalMessage
} from '../generation/budget';
import type { ResolvedModel } from './provider-manager';
import type { SettingsService } from './settings-service';
import { SpendLedger } from './spend-ledger';

/**
 * Monthly budgets: the check before a generation starts, and spend against budget for the pages.
 * Spend is the sum of this month's usage rows (cost_usd), so a budget counts exactly what the usage
 * page shows; the check before a call keeps a running tally of it (`SpendLedger`).
 */
export class BudgetService {
	private readonly ledger: SpendLedger;

	constructor(private readonly deps: { db: Db; settings: SettingsService; now?: () => Date }) {
		this.ledger = new SpendLedger({ db: deps.db, now: deps.now });
	}

	private now(): Date {
		return this.deps.now?.() ?? new Date();
	}

	/**
	 * Refuses a call whose budget is already reached, or an unpriced model a budget cannot count
	 * (unless admins allowed them), before anything is written or asked. Returns the columns with
	 * unpriced fallbacks dropped. A caller under no budget costs no statement here.
	 */
	async admit(caller: Caller, columns: ResolvedModel[][]): Promise<ResolvedModel[][]> {
		const settings = await this.deps.settings.current();
		const limits = limitsFor(caller, settings.memberMonthlyBudgetUsd);
		if (!hasBudget(limits)) return columns;
		const now = this.now();
		const admitted = settings.allowUnpricedForBudgeted
			? columns
			: columns.map((candidates) => pricedOnly(candidates, limits, now));
		const spent = await this.ledger.spent(caller.userId, caller.tokenId, monthStart(now));
		const refusal = overBudget(limits, spent, now);
		if (refusal) throw budgetError('budget_exceeded', refusal);
		return admitted;
	}

	/** The signed-in user's budget this month, and their API tokens' (by token id). */
	async status(caller: Caller): Promise<{ user: BudgetStatus; tokens: Record<string, number> }> {
		const settings = await this.deps.settings.current();
		const now = this.now();
		const since = monthStart(now);
		const limits = limitsFor(caller, settings.memberMonthlyBudgetUsd);
		const byToken = await spendByToken(this.deps.db, caller.userId, since);
		const spentUsd = byToken.reduce((total, row) => total + row.spentUsd, 0);
		const tokens: Record<string, number> = {};
		for (const row of byToken) if (row.tokenId) tokens[row.tokenId] = row.spentUsd;
		return {
			user: { scope: 'user', limitUsd: limits.user, spentUsd, resetsAt: nextReset(now).toISOString() },
			tokens
		};
	}

	/** Every user's spend this month against the budget that applies to them: for admins. */
	async byUser() {
		const settings = await this.deps.settings.current();
		const now = this.now();
		const rows = await spendByUser(this.deps.db, monthStart(now));
		return {
			resetsAt: nextReset(now).toISOString(),
			users: rows.map((row) => ({
				userId: row.userId,
				email: row.email,
				spentUsd: row.spentUsd,
				limitUsd: limitsFor(
					{
						userId: row.userId,
						role: row.role,
						tokenId: null,
						grant: null,
						budgetUsd: row.monthlyBudgetUsd,
						tokenBudgetUsd: null,
						maxConcurrent: null,
						requestsPerMinute: null
					},
					settings.memberMonthlyBudgetUsd
				).user
			}))
		};
	}
}

/**
 * The candidates a budget can count: the model asked for must be priced (else the call is refused),
 * unpriced fallbacks are skipped.
 */
function pricedOnly(
	candidates: ResolvedModel[],
	limits: ReturnType<typeof limitsFor>,
	now: Date
): ResolvedModel[] {
	if (isUnpriced(candidates[0].model)) {
		const scope = limits.user !== null ? 'user' : 'token';
		throw budgetError('forbidden', {
			reason: 'unpriced_model',
			scope,
			spentUsd: 0,
			limitUsd: (scope === 'user' ? limits.user : limits.token) ?? 0,
			resetsAt: nextReset(now).toISOString()
		});
	}
	return candidates.filter((candidate) => !isUnpriced(candidate.model));
}

function budgetError(code: 'budget_exceeded' | 'forbidden', refusal: BudgetRefusal): AppError {
	return new AppError(code, refusalMessage(refusal), { budget: refusal });
}
