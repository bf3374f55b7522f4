import { tracked } from '@trpc/server';
import {
	chatCompareInput,
	chatCreateInput,
	chatEditInput,
	chatIdInput,
	chatListInput,
	chatRegenerateInput,
	chatSelectBranchInput,
	chatSendInput,
	chatStreamInput,
	chatUpdateInput,
	messageIdInput
} from '$lib/schemas/chats';
import { chatExportInput, chatImportInput } from '$lib/schemas/chat-export';
import { generatingProcedure, protectedProcedure, router } from '../init';
import { whileAuthenticated } from '../revocable-stream';
import { withEvents } from '../watched-start';

export const chatsRouter = router({
	list: protectedProcedure
		.input(chatListInput)
		.query(({ ctx, input }) => ctx.app.chats.list(ctx.user.id, input)),
	get: protectedProcedure
		.input(chatIdInput)
		.query(({ ctx, input }) => ctx.app.chats.get(ctx.user.id, input.chatId)),
	create: protectedProcedure
		.input(chatCreateInput)
		.mutation(({ ctx, input }) => ctx.app.chats.create(ctx.user.id, input)),
	update: protectedProcedure
		.input(chatUpdateInput)
		.mutation(({ ctx, input }) => ctx.app.chats.update(ctx.user.id, input)),
	delete: protectedProcedure
		.input(chatIdInput)
		.mutation(({ ctx, input }) => ctx.app.chats.delete(ctx.user.id, input.chatId)),
	send: generatingProcedure
		.input(chatSendInput)
		.mutation(({ ctx, input }) => ctx.app.chats.send(ctx.caller, input)),
	/**
	 * `send`, and the answer's events in the same response (JSON lines, httpBatchStreamLink): one
	 * request per turn. The events are `chats.stream`'s, under the same ids, for resuming there.
	 */
	sendAndWatch: generatingProcedure.input(chatSendInput).mutation(async ({ ctx, input, signal }) => {
		const sent = await ctx.app.chats.send(ctx.caller, input);
		return withEvents(ctx, signal, sent, (s) =>
			ctx.app.streams.watchMessage(ctx.user.id, sent.assistantMessageId, null, s)
		);
	}),
	edit: generatingProcedure
		.input(chatEditInput)
		.mutation(({ ctx, input }) => ctx.app.chats.edit(ctx.caller, input)),
	compare: generatingProcedure
		.input(chatCompareInput)
		.mutation(({ ctx, input }) => ctx.app.chats.compare(ctx.caller, input)),
	/** JSON (lossless, re-importable) or Markdown of one chat or all of the user's. */
	export: protectedProcedure
		.input(chatExportInput)
		.query(({ ctx, input }) => ctx.app.chatTransfer.export(ctx.user.id, input)),
	/** An export's text; every id is new and the chats are the caller's; all or nothing. */
	import: protectedProcedure
		// Ahead of the input: a body of up to 128 MB is read only once the import is admitted.
		.use(async ({ ctx, next }) => {
			const end = ctx.app.chatTransfer.admitImport(ctx.user.id);
			try {
				return await next();
			} finally {
				end();
			}
		})
		.input(chatImportInput)
		.mutation(({ ctx, input }) => ctx.app.chatTransfer.import(ctx.user.id, input.data)),
	selectBranch: protectedProcedure
		.input(chatSelectBranchInput)
		.mutation(({ ctx, input }) => ctx.app.chats.selectBranch(ctx.user.id, input.messageId)),
	/**
	 * Watches one generation; a returning subscriber passes lastEventId and gets only what it missed.
	 * With `awaitStart`, opened in parallel with the `chats.send` that picked the message's id.
	 */
	stream: protectedProcedure.input(chatStreamInput).subscription(async function* ({ ctx, input, signal }) {
		const events = whileAuthenticated(ctx.app, ctx.auth, signal, (s) =>
			ctx.app.streams.watchMessage(ctx.user.id, input.messageId, input.lastEventId, s, input.awaitStart)
		);
		for await (const { id, event } of events) yield tracked(id, event);
	}),
	stop: protectedProcedure
		.input(messageIdInput)
		.mutation(({ ctx, input }) => ctx.app.chats.stop(ctx.user.id, input.messageId)),
	regenerate: generatingProcedure
		.input(chatRegenerateInput)
		.mutation(({ ctx, input }) => ctx.app.chats.regenerate(ctx.caller, input))
});
