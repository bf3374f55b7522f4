import type { AttachmentRow } from '../db/repositories/attachment-repository';
import type { ChatRow } from '../db/repositories/chat-repository';
import type { MessageRow } from '../db/repositories/message-repository';
import type { UsageRow } from '../db/repositories/usage-repository';

/** Numeric columns arrive as strings; the API speaks numbers (USD). */
export function toNumber(value: string | null): number | null {
	return value === null ? null : Number(value);
}

export function toChatDto(row: ChatRow) {
	return {
		id: row.id,
		title: row.title,
		providerId: row.providerId,
		modelId: row.modelId,
		systemPrompt: row.systemPrompt,
		temperature: row.temperature,
		maxTokens: row.maxTokens,
		topP: row.topP,
		stopSequences: row.stopSequences,
		seed: row.seed,
		/** The last message of the branch on screen (see conversation-tree.ts); null: the newest branch. */
		activeLeafId: row.activeLeafId,
		createdAt: row.createdAt,
		updatedAt: row.updatedAt
	};
}

/** What the API says about a file; its bytes are fetched from `attachmentUrl(id)` by their owner. */
export function toAttachmentDto(row: AttachmentRow) {
	return {
		id: row.id,
		name: row.name,
		kind: row.kind,
		mediaType: row.mediaType,
		byteSize: row.byteSize,
		width: row.width,
		height: row.height
	};
}

/** `attachments` is filled where the message was read with them (chats.get); else empty. */
export function toMessageDto(row: MessageRow & { attachments?: AttachmentRow[] }) {
	return {
		id: row.id,
		chatId: row.chatId,
		parentId: row.parentId,
		role: row.role,
		content: row.content,
		status: row.status,
		providerId: row.providerId,
		modelId: row.modelId,
		finishReason: row.finishReason,
		error: row.error,
		inputTokens: row.inputTokens,
		outputTokens: row.outputTokens,
		cacheReadTokens: row.cacheReadTokens,
		cacheWriteTokens: row.cacheWriteTokens,
		costUsd: toNumber(row.costUsd),
		usageEstimated: row.usageEstimated,
		attachments: (row.attachments ?? []).map(toAttachmentDto),
		createdAt: row.createdAt
	};
}

export function toUsageDto(row: UsageRow) {
	return {
		id: row.id,
		providerId: row.providerId,
		modelId: row.modelId,
		inputTokens: row.inputTokens,
		outputTokens: row.outputTokens,
		cacheReadTokens: row.cacheReadTokens,
		cacheWriteTokens: row.cacheWriteTokens,
		estimated: row.estimated,
		costUsd: toNumber(row.costUsd),
		latencyMs: row.latencyMs,
		ttftMs: row.ttftMs,
		status: row.status,
		errorCode: row.errorCode,
		createdAt: row.createdAt
	};
}

export type ChatDto = ReturnType<typeof toChatDto>;
export type MessageDto = ReturnType<typeof toMessageDto>;
export type AttachmentDto = ReturnType<typeof toAttachmentDto>;
