import { activePath, childrenIndex } from '$lib/schemas/conversation-tree';
import type { FallbackEvent, StreamEvent } from '$lib/schemas/stream-events';
import type { ChatDetail, Message } from './client';

/*
 * Pure helpers over the messages of a chat: building optimistic ones, applying stream events,
 * merging a server snapshot, grouping into turns. No runes here, so they are tested in node.
 */

/** A message as the UI holds it: `key` stays stable while an optimistic id is swapped for the real one. */
export type UiMessage = Message & { key: string };
/**
 * One question of the branch on screen: its versions (edits) and the answers to this version
 * (regenerated or compared), with the one on the branch.
 */
export type Turn = {
	user: UiMessage;
	versions: UiMessage[];
	answers: UiMessage[];
	answer: UiMessage | undefined;
};

const PENDING = 'pending-';
let pendingCounter = 0;

export function isPending(id: string): boolean {
	return id.startsWith(PENDING);
}

function blank(chatId: string) {
	return {
		chatId,
		finishReason: null,
		error: null,
		inputTokens: null,
		outputTokens: null,
		cacheReadTokens: null,
		cacheWriteTokens: null,
		costUsd: null,
		usageEstimated: false,
		attachments: [],
		createdAt: new Date()
	};
}

/** The question and an empty answer, shown before the server has confirmed either. */
export function optimisticTurn(
	chatId: string,
	content: string,
	target: { providerId: string | null; modelId: string | null },
	parentId: string | null = null,
	attachments: Message['attachments'] = []
): [UiMessage, UiMessage] {
	const n = ++pendingCounter;
	const userId = `${PENDING}user-${n}`;
	const answerId = `${PENDING}answer-${n}`;
	return [
		{
			...blank(chatId),
			key: userId,
			id: userId,
			parentId,
			role: 'user',
			content,
			status: 'complete',
			providerId: null,
			modelId: null,
			attachments
		},
		{
			...blank(chatId),
			key: answerId,
			id: answerId,
			parentId: userId,
			role: 'assistant',
			content: '',
			status: 'streaming',
			...target
		}
	];
}

/** An answer the server just started (regenerate), before its first event. */
export function startedAnswer(
	chatId: string,
	ids: { assistantMessageId: string; userMessageId: string },
	target: { providerId: string | null; modelId: string | null },
	/** When it was started (ms): a comparison's answers are ordered by it. */
	startedAt = Date.now()
): UiMessage {
	const id = ids.assistantMessageId;
	return {
		...blank(chatId),
		createdAt: new Date(startedAt),
		key: id,
		id,
		parentId: ids.userMessageId,
		role: 'assistant',
		content: '',
		status: 'streaming',
		...target
	};
}

/** What a stream event tells beyond the message itself: a fallback taken, whether an error can be retried. */
export type EventEffect = { fallback?: FallbackEvent; reset?: boolean; retryable?: boolean };

/**
 * Applies one event of `chats.stream` to the answer it belongs to. `start` begins the text again:
 * a fresh subscription replays the whole answer, which must rebuild the text, not repeat it.
 */
export function applyStreamEvent(message: Message, event: StreamEvent): EventEffect {
	switch (event.type) {
		case 'start':
			message.content = '';
			message.status = 'streaming';
			message.error = null;
			if (event.providerId) message.providerId = event.providerId;
			if (event.modelId) message.modelId = event.modelId;
			return { reset: true };
		case 'delta':
			message.content += event.text;
			return {};
		case 'fallback':
			message.providerId = event.to.providerId;
			message.modelId = event.to.modelId;
			return { fallback: event };
		case 'done':
			message.status = event.finishReason === 'aborted' ? 'stopped' : 'complete';
			message.finishReason = event.finishReason;
			message.inputTokens = event.usage.inputTokens;
			message.outputTokens = event.usage.outputTokens;
			message.cacheReadTokens = event.usage.cacheReadTokens;
			message.cacheWriteTokens = event.usage.cacheWriteTokens;
			message.costUsd = event.usage.costUsd;
			message.usageEstimated = event.usage.estimated;
			return {};
		case 'error':
			message.status = 'error';
			message.error = { code: event.error.code, message: event.error.message };
			return { retryable: event.error.retryable };
	}
}

/** Assigns only the fields that changed, so untouched fields do not wake their readers. */
export function assignChanged(target: UiMessage, source: Message) {
	for (const key of Object.keys(source) as (keyof Message)[]) {
		const next = source[key];
		const current = target[key];
		if (next instanceof Date && current instanceof Date && next.getTime() === current.getTime()) continue;
		if (key === 'error' && JSON.stringify(next) === JSON.stringify(current)) continue;
		if (current !== next) (target as Record<string, unknown>)[key] = next;
	}
}

/**
 * The server's messages, reusing the objects already on screen (so only changed fields update).
 * Answers watched live keep their text: the stream is ahead of the periodically saved content.
 * Optimistic messages not yet confirmed stay at the end.
 */
export function mergeMessages(
	current: UiMessage[],
	server: ChatDetail['messages'],
	isLive: (id: string) => boolean
): UiMessage[] {
	const byId = new Map(current.map((m) => [m.id, m]));
	const next = server.map((m): UiMessage => {
		const existing = byId.get(m.id);
		if (!existing) return { ...m, key: m.id };
		assignChanged(
			existing,
			m.status === 'streaming' && isLive(m.id) ? { ...m, content: existing.content } : m
		);
		return existing;
	});
	return [...next, ...current.filter((m) => isPending(m.id))];
}

/**
 * The branch on screen as turns: each user message of the path with its versions and answers.
 * Linear in the messages (one children index): it runs again whenever the list changes, and a
 * chat of hundreds of turns asking each message for its siblings was quadratic.
 */
export function buildTurns(messages: UiMessage[], activeLeafId: string | null): Turn[] {
	const path = activePath(messages, activeLeafId);
	const children = childrenIndex(messages);
	const turns: Turn[] = [];
	for (const [i, m] of path.entries()) {
		if (m.role !== 'user') continue;
		const next = path[i + 1];
		turns.push({
			user: m,
			// The path is walked through parents that exist, so the message before is its parent (or a root's null).
			versions: children.get(path[i - 1]?.id ?? null) ?? [m],
			answers: (children.get(m.id) ?? []).filter((a) => a.role === 'assistant'),
			answer: next?.role === 'assistant' ? next : undefined
		});
	}
	return turns;
}
