import { z } from 'zod';
import { attachmentIdsSchema } from './attachments';
import {
	contentSchema,
	maxTokensSchema,
	modelIdSchema,
	providerIdSchema,
	seedSchema,
	stopSequencesSchema,
	systemPromptSchema,
	temperatureSchema,
	timeCursorSchema,
	topPSchema,
	encodeTimeCursor,
	uuidSchema
} from './common';
import { clientIdSchema } from './ids';

export const titleSchema = z
	.string()
	.trim()
	.min(1, 'The title cannot be empty')
	.max(200, 'At most 200 characters');

/** Where a page of chats ends: the last chat's `updatedAt` and id, the order `chats.list` sorts by. */
export type ChatCursor = { updatedAt: Date; id: string };

/** `chats.list`'s `nextCursor`: `<updatedAt as ISO 8601>_<chat id>`. */
export function encodeChatCursor(cursor: ChatCursor): string {
	return encodeTimeCursor(cursor.updatedAt, cursor.id);
}

/** A cursor as `encodeChatCursor` writes it, parsed; anything else is refused with the field named. */
export const chatCursorSchema = timeCursorSchema.transform(({ at, id }): ChatCursor => ({
	updatedAt: at,
	id
}));

export const chatListInput = z.object({
	providerId: providerIdSchema.optional(),
	modelId: modelIdSchema.optional(),
	search: z.string().trim().max(200).optional(),
	cursor: chatCursorSchema.nullish(),
	limit: z.number().int().min(1).max(100).default(30)
});

export const chatIdInput = z.object({ chatId: uuidSchema });

const chatSettings = {
	providerId: providerIdSchema.optional(),
	modelId: modelIdSchema.optional(),
	systemPrompt: systemPromptSchema.nullish(),
	temperature: temperatureSchema.nullish(),
	maxTokens: maxTokensSchema.nullish(),
	topP: topPSchema.nullish(),
	stopSequences: stopSequencesSchema.nullish(),
	seed: seedSchema.nullish()
};

/** Per-message overrides of the chat's sampling; saved on the chat, like temperature. */
const sampling = {
	temperature: temperatureSchema.nullish(),
	maxTokens: maxTokensSchema.nullish(),
	topP: topPSchema.nullish(),
	stopSequences: stopSequencesSchema.nullish(),
	seed: seedSchema.nullish()
};

export const chatCreateInput = z.object({ title: titleSchema.optional(), ...chatSettings });
export const chatUpdateInput = z.object({
	chatId: uuidSchema,
	title: titleSchema.optional(),
	...chatSettings
});

export const chatSendInput = z
	.object({
		chatId: uuidSchema,
		content: contentSchema,
		/** Uploads from attachments.upload this message carries (images, text files). */
		attachmentIds: attachmentIdsSchema.optional(),
		providerId: providerIdSchema.optional(),
		modelId: modelIdSchema.optional(),
		/**
		 * Ids the client picked for the new messages, so it can open `chats.stream` (with
		 * `awaitStart`) in parallel with this send: the first delta is then one round trip away.
		 */
		userMessageId: clientIdSchema.optional(),
		assistantMessageId: clientIdSchema.optional(),
		/**
		 * Send into a new chat: `chatId` is then an id the client picked (UUIDv7) for a chat made with
		 * these settings (as chats.create makes one) in the turn's own transaction, so a one-shot
		 * question costs one request, and a refused one leaves no empty chat behind.
		 */
		newChat: chatCreateInput.optional(),
		...sampling
	})
	.refine((input) => !input.userMessageId || input.userMessageId !== input.assistantMessageId, {
		message: 'The two messages need different ids',
		path: ['assistantMessageId']
	})
	.refine((input) => !input.newChat || clientIdSchema.safeParse(input.chatId).success, {
		message: 'A new chat needs an id you picked: a UUIDv7',
		path: ['chatId']
	});

/** A new version of a sent user message: a sibling branch from the same point, answered at once. */
export const chatEditInput = z.object({
	messageId: uuidSchema,
	content: contentSchema,
	providerId: providerIdSchema.optional(),
	modelId: modelIdSchema.optional(),
	...sampling
});

/** Shows the branch through this message (its newest continuation), and keeps it across reloads. */
export const chatSelectBranchInput = z.object({ messageId: uuidSchema });

export const compareTargetSchema = z.object({ providerId: providerIdSchema, modelId: modelIdSchema });
export const MAX_COMPARE_COLUMNS = 4;

/** One prompt to 2-4 models at once: each answer is a sibling, the first one continues the chat. */
export const chatCompareInput = z.object({
	chatId: uuidSchema,
	content: contentSchema,
	targets: z
		.array(compareTargetSchema)
		.min(2, 'Compare at least 2 models')
		.max(MAX_COMPARE_COLUMNS, `Compare at most ${MAX_COMPARE_COLUMNS} models`)
		.refine(
			(targets) => new Set(targets.map((t) => `${t.providerId}/${t.modelId}`)).size === targets.length,
			'Each model once'
		),
	attachmentIds: attachmentIdsSchema.optional(),
	...sampling
});

/** `lastEventId` is also filled in by tRPC from the SSE Last-Event-Id header on reconnect. */
export const chatStreamInput = z.object({
	messageId: uuidSchema,
	lastEventId: z.string().max(40).nullish(),
	/**
	 * The send creating this message may still be on its way (its id was picked by the client): wait
	 * briefly for it to start rather than answer "not found".
	 */
	awaitStart: z.boolean().optional()
});
export const messageIdInput = z.object({ messageId: uuidSchema });
export const chatRegenerateInput = z.object({
	messageId: uuidSchema,
	providerId: providerIdSchema.optional(),
	modelId: modelIdSchema.optional()
});

export type ChatListInput = z.infer<typeof chatListInput>;
export type ChatCreateInput = z.infer<typeof chatCreateInput>;
export type ChatUpdateInput = z.infer<typeof chatUpdateInput>;
export type ChatSendInput = z.infer<typeof chatSendInput>;
export type ChatEditInput = z.infer<typeof chatEditInput>;
export type ChatCompareInput = z.infer<typeof chatCompareInput>;
