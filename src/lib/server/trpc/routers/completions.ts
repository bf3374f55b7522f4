import { tracked } from '@trpc/server';
import { completionInput, completionStreamInput } from '$lib/schemas/completions';
import { protectedProcedure, router } from '../init';
import { whileAuthenticated } from '../revocable-stream';

export const completionsRouter = router({
	create: protectedProcedure
		.input(completionInput)
		.mutation(({ ctx, input }) => ctx.app.completions.create(ctx.user.id, input)),
	/** The prompt travels in this mutation's body; the subscription below carries only the id. */
	start: protectedProcedure
		.input(completionInput)
		.mutation(({ ctx, input }) => ctx.app.completions.start(ctx.user.id, input)),
	stream: protectedProcedure.input(completionStreamInput).subscription(async function* ({
		ctx,
		input,
		signal
	}) {
		const events = whileAuthenticated(ctx.app, ctx.auth, signal, (s) =>
			ctx.app.streams.watchCompletion(ctx.user.id, input.generationId, input.lastEventId, s)
		);
		for await (const { id, event } of events) yield tracked(id, event);
	})
});
