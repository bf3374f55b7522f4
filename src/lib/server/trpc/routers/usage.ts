import { usageByChatInput, usageSummaryInput } from '$lib/schemas/usage';
import { protectedProcedure, router } from '../init';

export const usageRouter = router({
	summary: protectedProcedure
		.input(usageSummaryInput)
		.query(({ ctx, input }) => ctx.app.usage.summary(ctx.user, input)),
	byChat: protectedProcedure
		.input(usageByChatInput)
		.query(({ ctx, input }) => ctx.app.usage.byChat(ctx.user.id, input.chatId))
});
