import type { MessageRole, MessageStatus } from '$lib/schemas/common';
import { pathTo, type TreeMessage } from '$lib/schemas/conversation-tree';
import type { ChatMessage } from '../providers/types';
import { withAttachments, type PromptAttachment } from '../attachments/prompt-parts';

type StoredMessage = TreeMessage & {
	role: MessageRole;
	content: string;
	status: MessageStatus;
};

/**
 * The conversation a provider sees, oldest first: the branch from the root down to the user message
 * being answered, exactly what the person sees above it. Answers on that branch that are still
 * streaming or empty (failed before any text) are left out.
 */
export function buildHistory(
	messages: StoredMessage[],
	untilUserMessageId: string,
	attached: ReadonlyMap<string, readonly PromptAttachment[]> = new Map()
): ChatMessage[] {
	return pathTo(messages, untilUserMessageId)
		.filter(
			(m) => m.role === 'user' || (m.role === 'assistant' && m.status !== 'streaming' && m.content.trim())
		)
		.map((m): ChatMessage =>
			m.role === 'user'
				? { role: 'user', ...withAttachments(m.content, attached.get(m.id) ?? []) }
				: { role: 'assistant', content: m.content }
		);
}

/** A chat's title from its first message: the first line, trimmed to a readable length. */
export function titleFromMessage(content: string): string {
	const line = content.trim().split('\n')[0].replace(/\s+/g, ' ');
	return line.length > 60 ? `${line.slice(0, 57).trimEnd()}…` : line || 'New chat';
}
