import { tracked } from '@trpc/server';
import { completionInput, completionStartInput, completionStreamInput } from '$lib/schemas/completions';
import { generatingProcedure, protectedProcedure, router } from '../init';
import { whileAuthenticated } from '../revocable-stream';
import { withEvents } from '../watched-start';

export const completionsRouter = router({
	create: generatingProcedure
		.input(completionInput)
		.mutation(({ ctx, input }) => ctx.app.completions.create(ctx.caller, input)),
	/**
	 * The prompt travels in this mutation's body; the subscription below carries only the id (with a
	 * client-picked `generationId`, it opens alongside this start).
	 */
	start: generatingProcedure
		.input(completionStartInput)
		.mutation(({ ctx, input }) => ctx.app.completions.start(ctx.caller, input)),
	/** `start`, and the generation's events in the same response (as `chats.sendAndWatch`). */
	startAndWatch: generatingProcedure.input(completionStartInput).mutation(async ({ ctx, input, signal }) => {
		const started = await ctx.app.completions.start(ctx.caller, input);
		return withEvents(ctx, signal, started, (s) =>
			ctx.app.streams.watchCompletion(ctx.user.id, started.generationId, null, s)
		);
	}),
	stream: protectedProcedure.input(completionStreamInput).subscription(async function* ({
		ctx,
		input,
		signal
	}) {
		const events = whileAuthenticated(ctx.app, ctx.auth, signal, (s) =>
			ctx.app.streams.watchCompletion(ctx.user.id, input.generationId, input.lastEventId, s, input.awaitStart)
		);
		for await (const { id, event } of events) yield tracked(id, event);
	})
});
