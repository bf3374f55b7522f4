import { z } from 'zod';
import { providerIdSchema, uuidSchema } from './common';

export const usageGroupBy = ['provider', 'model', 'day', 'user'] as const;

export const usageSummaryInput = z.object({
	from: z.coerce.date().optional(),
	to: z.coerce.date().optional(),
	groupBy: z.enum(usageGroupBy),
	providerId: providerIdSchema.optional(),
	/** Admins only: one user's usage. */
	userId: uuidSchema.optional()
});

export const usageByChatInput = z.object({ chatId: uuidSchema });

export type UsageSummaryInput = z.infer<typeof usageSummaryInput>;
