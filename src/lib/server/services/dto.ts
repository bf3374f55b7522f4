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

export function toMessageDto(row: MessageRow) {
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
		costUsd: toNumber(row.costUsd),
		usageEstimated: row.usageEstimated,
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
