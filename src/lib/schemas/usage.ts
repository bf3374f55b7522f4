import { z } from 'zod';
import { providerIdSchema, uuidSchema } from './common';

/** Which door a provider call came through (the app and tRPC SDK, or a compatible API), or `title`: a chat's name. */
export const usageSources = ['app', 'openai-api', 'anthropic-api', 'title'] as const;
export type UsageSource = (typeof usageSources)[number];

export const usageGroupBy = ['provider', 'model', 'day', 'user', 'source'] as const;
export type UsageGroupBy = (typeof usageGroupBy)[number];

export const usageSummaryInput = z.object({
	from: z.coerce.date().optional(),
	to: z.coerce.date().optional(),
	groupBy: z.enum(usageGroupBy),
	providerId: providerIdSchema.optional(),
	source: z.enum(usageSources).optional(),
	/** Admins only: one user's usage. */
	userId: uuidSchema.optional()
});

export const usageByChatInput = z.object({ chatId: uuidSchema });

export type UsageSummaryInput = z.infer<typeof usageSummaryInput>;
