import { z } from 'zod';
import { uuidSchema } from './common';

/** A monthly budget in USD: up to a million, to the cent's ten-thousandth (the cost column keeps 8 places). */
export const budgetUsdSchema = z
	.number({ message: 'Enter an amount in USD' })
	.min(0, 'At least 0')
	.max(1_000_000, 'At most 1,000,000');

/** A cap on answers at once or requests a minute. */
export const capSchema = z
	.number()
	.int('Use a whole number')
	.min(1, 'At least 1')
	.max(10_000, 'At most 10,000');

/** Why a call was refused before any provider was asked, with what the person needs to know. */
export const budgetRefusalSchema = z.object({
	/** `over_budget`: this month's spend reached the limit; `unpriced_model`: the model's cost cannot be counted. */
	reason: z.enum(['over_budget', 'unpriced_model']),
	/** Whose budget: the user's (their own or their role's default) or the API token's. */
	scope: z.enum(['user', 'token']),
	spentUsd: z.number(),
	limitUsd: z.number(),
	/** ISO time the spend starts again from zero: the first day of next month, 00:00 UTC. */
	resetsAt: z.string()
});
export type BudgetRefusal = z.infer<typeof budgetRefusalSchema>;

/** One budget as a person sees it: what was spent this month, against what, until when. */
export type BudgetStatus = {
	scope: 'user' | 'token';
	limitUsd: number | null;
	spentUsd: number;
	resetsAt: string;
};

/** What admins set in Settings: the members' default budget, the unpriced-model rule and each role's caps. */
export const appSettingsInput = z.object({
	memberMonthlyBudgetUsd: budgetUsdSchema.nullable(),
	allowUnpricedForBudgeted: z.boolean(),
	memberMaxConcurrent: capSchema.nullable(),
	memberRequestsPerMinute: capSchema.nullable(),
	adminMaxConcurrent: capSchema.nullable(),
	adminRequestsPerMinute: capSchema.nullable()
});
export type AppSettingsInput = z.infer<typeof appSettingsInput>;

/** One user's own budget and caps, set by an admin; null follows the role's. */
export const userLimitsInput = z.object({
	userId: uuidSchema,
	monthlyBudgetUsd: budgetUsdSchema.nullable(),
	maxConcurrent: capSchema.nullable(),
	requestsPerMinute: capSchema.nullable()
});
export type UserLimitsInput = z.infer<typeof userLimitsInput>;
