import { usageByChatInput, usageSummaryInput } from '$lib/schemas/usage';
import { adminProcedure, generatingProcedure, protectedProcedure, router } from '../init';

export const usageRouter = router({
	summary: protectedProcedure
		.input(usageSummaryInput)
		.query(({ ctx, input }) => ctx.app.usage.summary(ctx.user, input)),
	byChat: protectedProcedure
		.input(usageByChatInput)
		.query(({ ctx, input }) => ctx.app.usage.byChat(ctx.user.id, input.chatId)),
	/** The caller's spend this month against their budget, and each of their tokens' spend. */
	budget: generatingProcedure.query(({ ctx }) => ctx.app.budgets.status(ctx.caller)),
	/** Every user's spend this month against the budget that applies to them. */
	budgets: adminProcedure.query(({ ctx }) => ctx.app.budgets.byUser())
});
