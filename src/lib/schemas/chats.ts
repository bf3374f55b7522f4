import { z } from 'zod';
import { attachmentIdsSchema } from './attachments';
import {
	contentSchema,
	maxTokensSchema,
	modelIdSchema,
	providerIdSchema,
	systemPromptSchema,
	temperatureSchema,
	timeCursorSchema,
	encodeTimeCursor,
	uuidSchema
} from './common';

const titleSchema = z.string().trim().min(1, 'The title cannot be empty').max(200, 'At most 200 characters');

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
	maxTokens: maxTokensSchema.nullish()
};

export const chatCreateInput = z.object({ title: titleSchema.optional(), ...chatSettings });
export const chatUpdateInput = z.object({
	chatId: uuidSchema,
	title: titleSchema.optional(),
	...chatSettings
});

export const chatSendInput = z.object({
	chatId: uuidSchema,
	content: contentSchema,
	/** Uploads from attachments.upload this message carries (images, text files). */
	attachmentIds: attachmentIdsSchema.optional(),
	providerId: providerIdSchema.optional(),
	modelId: modelIdSchema.optional(),
	temperature: temperatureSchema.nullish(),
	maxTokens: maxTokensSchema.nullish()
});

/** `lastEventId` is also filled in by tRPC from the SSE Last-Event-Id header on reconnect. */
export const chatStreamInput = z.object({ messageId: uuidSchema, lastEventId: z.string().max(40).nullish() });
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
