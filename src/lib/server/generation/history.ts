import type { ChatMessage } from '../providers/types';
import { withAttachments } from '../attachments/prompt-parts';
import type { AttachmentWithData } from '../db/repositories/attachment-repository';

type StoredMessage = {
	id: string;
	role: 'user' | 'assistant' | 'system';
	content: string;
	status: 'streaming' | 'complete' | 'stopped' | 'error';
	parentId: string | null;
};

/**
 * The conversation a provider sees, oldest first, up to and including `untilUserMessageId`. Each user
 * message is followed by its latest answer with text (a regenerated answer replaces older ones); answers
 * still streaming or empty are left out, and so is anything after the user message being answered.
 */
export function buildHistory(
	messages: StoredMessage[],
	untilUserMessageId: string,
	attached: ReadonlyMap<string, readonly AttachmentWithData[]> = new Map()
): ChatMessage[] {
	const latestAnswer = new Map<string, StoredMessage>();
	for (const m of messages) {
		if (m.role === 'assistant' && m.parentId && m.status !== 'streaming' && m.content.trim()) {
			latestAnswer.set(m.parentId, m);
		}
	}
	const history: ChatMessage[] = [];
	for (const m of messages) {
		if (m.role !== 'user') continue;
		history.push({ role: 'user', ...withAttachments(m.content, attached.get(m.id) ?? []) });
		if (m.id === untilUserMessageId) return history;
		const answer = latestAnswer.get(m.id);
		if (answer) history.push({ role: 'assistant', content: answer.content });
	}
	return history;
}

/** A chat's title from its first message: the first line, trimmed to a readable length. */
export function titleFromMessage(content: string): string {
	const line = content.trim().split('\n')[0].replace(/\s+/g, ' ');
	return line.length > 60 ? `${line.slice(0, 57).trimEnd()}…` : line || 'New chat';
}
