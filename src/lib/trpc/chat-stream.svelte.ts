/* eslint-disable svelte/prefer-svelte-reactivity -- the plain Maps and Sets here are bookkeeping the UI
   never reads; Dates are message timestamps, replaced, never mutated. */
import { SvelteMap } from 'svelte/reactivity';
import type { StreamEvent } from '$lib/schemas/stream-events';
import type { ProviderErrorCode } from '$lib/schemas/provider-error';
import { chatList } from './chat-list.svelte';
import { trpc, type ChatDetail, type Message } from './client';
import { describeError, type UiError } from './errors';

/** A message as the UI holds it: `key` stays stable while an optimistic id is swapped for the real one. */
export type UiMessage = Message & { key: string };
export type ChatMeta = Omit<ChatDetail, 'messages'>;
export type Turn = { user: UiMessage; answers: UiMessage[] };

export type ChatSettingsPatch = Partial<
	Pick<ChatMeta, 'providerId' | 'modelId' | 'temperature' | 'maxTokens' | 'systemPrompt' | 'title'>
>;

type FallbackEvent = Extract<StreamEvent, { type: 'fallback' }>;

/** What only a live stream knows about an answer: fallbacks on the way and the connection. */
export class LiveAnswer {
	fallbacks = $state<FallbackEvent[]>([]);
	connection = $state<'connecting' | 'open' | 'reconnecting'>('connecting');
	retryable = $state(false);
}

let pendingCounter = 0;
const PENDING = 'pending-';

export function isPending(id: string): boolean {
	return id.startsWith(PENDING);
}

/** Assigns only the fields that changed, so untouched fields do not wake their readers. */
function assignChanged(target: UiMessage, source: Message) {
	for (const key of Object.keys(source) as (keyof Message)[]) {
		const next = source[key];
		const current = target[key];
		if (next instanceof Date && current instanceof Date && next.getTime() === current.getTime()) continue;
		if (key === 'error' && JSON.stringify(next) === JSON.stringify(current)) continue;
		if (current !== next) (target as Record<string, unknown>)[key] = next;
	}
}

/**
 * One chat as the browser sees it: its settings, its messages, and a subscription per answer being
 * written. Deltas only touch the one message's `content`, so the rest of the list does not re-render.
 */
export class ChatSession {
	readonly id: string;
	chat = $state<ChatMeta | null>(null);
	messages = $state<UiMessage[]>([]);
	status = $state<'idle' | 'loading' | 'ready' | 'not-found' | 'error'>('idle');
	loadError = $state<UiError | null>(null);
	sendError = $state<UiError | null>(null);
	settingsError = $state<UiError | null>(null);
	live = new SvelteMap<string, LiveAnswer>();
	#subscriptions = new Map<string, { unsubscribe: () => void }>();
	#pendingPatch: ChatSettingsPatch = {};
	#patchTimer: ReturnType<typeof setTimeout> | null = null;
	#patchInFlight: Promise<void> | null = null;
	#stopRequested = new Set<string>();
	/** Sends awaiting their ids: a server snapshot taken meanwhile would duplicate the optimistic messages. */
	#sending = 0;
	#deferred: ChatDetail | null = null;

	streaming = $derived(this.messages.some((m) => m.role === 'assistant' && m.status === 'streaming'));

	/** User messages with their answers (a regenerated answer is another answer to the same message). */
	turns = $derived.by(() => {
		const answers = new Map<string, UiMessage[]>();
		for (const m of this.messages) {
			if (m.role !== 'assistant' || !m.parentId) continue;
			const list = answers.get(m.parentId) ?? [];
			list.push(m);
			answers.set(m.parentId, list);
		}
		return this.messages
			.filter((m) => m.role === 'user')
			.map((user): Turn => ({ user, answers: answers.get(user.id) ?? [] }));
	});

	constructor(id: string) {
		this.id = id;
	}

	/** Seeds a chat just created on this page, so it shows without a round trip. */
	seed(chat: ChatMeta) {
		this.chat = chat;
		this.status = 'ready';
	}

	async load(): Promise<void> {
		if (this.status !== 'ready') this.status = 'loading';
		try {
			const detail = await trpc.chats.get.query({ chatId: this.id });
			this.#merge(detail);
			this.status = 'ready';
			this.loadError = null;
			// An answer still being written (a reload mid-stream, another tab): watch it from the start.
			for (const m of this.messages) {
				if (m.role === 'assistant' && m.status === 'streaming') this.#subscribe(m.id);
			}
		} catch (error) {
			const ui = describeError(error);
			this.status = ui.code === 'NOT_FOUND' ? 'not-found' : 'error';
			this.loadError = ui;
		}
	}

	/** Sends a message: shown at once, then confirmed by the server, then streamed. */
	async send(content: string): Promise<boolean> {
		if (!this.chat) return false;
		this.sendError = null;
		await this.flushSettings();
		const chat = this.chat;
		const n = ++pendingCounter;
		const userId = `${PENDING}user-${n}`;
		const answerId = `${PENDING}answer-${n}`;
		const now = new Date();
		const base = {
			chatId: this.id,
			finishReason: null,
			error: null,
			inputTokens: null,
			outputTokens: null,
			costUsd: null,
			usageEstimated: false,
			createdAt: now
		};
		this.messages.push(
			{
				...base,
				key: userId,
				id: userId,
				parentId: null,
				role: 'user',
				content,
				status: 'complete',
				providerId: null,
				modelId: null
			},
			{
				...base,
				key: answerId,
				id: answerId,
				parentId: userId,
				role: 'assistant',
				content: '',
				status: 'streaming',
				providerId: chat.providerId,
				modelId: chat.modelId
			}
		);
		this.#sending++;
		try {
			const sent = await trpc.chats.send.mutate({
				chatId: this.id,
				content,
				providerId: chat.providerId ?? undefined,
				modelId: chat.modelId ?? undefined,
				temperature: chat.temperature,
				maxTokens: chat.maxTokens
			});
			const user = this.#find(userId);
			const answer = this.#find(answerId);
			this.messages = this.messages.filter(
				(m) => m.id !== sent.userMessageId && m.id !== sent.assistantMessageId
			);
			if (user) user.id = sent.userMessageId;
			if (answer) {
				answer.id = sent.assistantMessageId;
				answer.parentId = sent.userMessageId;
			}
			this.#subscribe(sent.assistantMessageId);
			if (this.#stopRequested.delete(answerId)) void this.stop(sent.assistantMessageId);
			// The first message names the chat: the list shows the new title right away.
			void chatList.refresh();
			return true;
		} catch (error) {
			this.messages = this.messages.filter((m) => m.key !== userId && m.key !== answerId);
			this.sendError = describeError(error);
			return false;
		} finally {
			this.#sending--;
			const deferred = this.#deferred;
			if (this.#sending === 0 && deferred) {
				this.#deferred = null;
				this.#merge(deferred);
			}
		}
	}

	/** Ends an answer being written; the server keeps what streamed as `stopped`. */
	async stop(messageId?: string): Promise<void> {
		const targets = messageId
			? [messageId]
			: this.messages.filter((m) => m.role === 'assistant' && m.status === 'streaming').map((m) => m.id);
		await Promise.all(
			targets.map(async (id) => {
				if (isPending(id)) {
					this.#stopRequested.add(id);
					return;
				}
				try {
					await trpc.chats.stop.mutate({ messageId: id });
				} catch (error) {
					this.sendError = describeError(error);
				}
			})
		);
	}

	/** A new answer to the same question: again, or from another provider or model. */
	async regenerate(messageId: string, target: { providerId?: string; modelId?: string } = {}): Promise<void> {
		this.sendError = null;
		try {
			const result = await trpc.chats.regenerate.mutate({ messageId, ...target });
			const previous = this.#find(messageId);
			this.messages.push({
				key: result.assistantMessageId,
				id: result.assistantMessageId,
				chatId: this.id,
				parentId: result.userMessageId,
				role: 'assistant',
				content: '',
				status: 'streaming',
				providerId: target.providerId ?? previous?.providerId ?? null,
				modelId: target.modelId ?? previous?.modelId ?? null,
				finishReason: null,
				error: null,
				inputTokens: null,
				outputTokens: null,
				costUsd: null,
				usageEstimated: false,
				createdAt: new Date()
			});
			this.#subscribe(result.assistantMessageId);
		} catch (error) {
			this.sendError = describeError(error);
		}
	}

	/** Changes the chat's settings now on screen, and on the server shortly after (typing is batched). */
	updateSettings(patch: ChatSettingsPatch) {
		if (!this.chat) return;
		this.chat = { ...this.chat, ...patch };
		this.#pendingPatch = { ...this.#pendingPatch, ...patch };
		if (this.#patchTimer) clearTimeout(this.#patchTimer);
		this.#patchTimer = setTimeout(() => void this.flushSettings(), 400);
	}

	async flushSettings(): Promise<void> {
		if (this.#patchTimer) {
			clearTimeout(this.#patchTimer);
			this.#patchTimer = null;
		}
		if (this.#patchInFlight) await this.#patchInFlight;
		const patch = this.#pendingPatch;
		if (Object.keys(patch).length === 0) return;
		this.#pendingPatch = {};
		this.#patchInFlight = (async () => {
			try {
				const saved = await trpc.chats.update.mutate({
					chatId: this.id,
					...patch,
					title: patch.title ?? undefined,
					providerId: patch.providerId ?? undefined,
					modelId: patch.modelId ?? undefined
				});
				// Later edits made while this one was in flight win over the server's echo.
				this.chat = { ...saved, ...this.#pendingPatch };
				this.settingsError = null;
				chatList.upsert(saved);
			} catch (error) {
				this.settingsError = describeError(error);
			} finally {
				this.#patchInFlight = null;
			}
		})();
		await this.#patchInFlight;
	}

	dispose() {
		for (const sub of this.#subscriptions.values()) sub.unsubscribe();
		this.#subscriptions.clear();
		if (this.#patchTimer) clearTimeout(this.#patchTimer);
	}

	#find(id: string): UiMessage | undefined {
		return this.messages.find((m) => m.id === id);
	}

	#subscribe(messageId: string) {
		if (this.#subscriptions.has(messageId)) return;
		const live = this.live.get(messageId) ?? new LiveAnswer();
		this.live.set(messageId, live);
		const finish = () => {
			if (!this.#subscriptions.delete(messageId)) return;
			void this.#settle();
		};
		const subscription = trpc.chats.stream.subscribe(
			{ messageId },
			{
				onData: ({ data }) => this.#apply(messageId, data, live),
				onConnectionStateChange: (state) => {
					if (state.state === 'pending') live.connection = 'open';
					else if (state.state === 'connecting')
						live.connection = state.error ? 'reconnecting' : 'connecting';
				},
				onError: (error) => {
					const message = this.#find(messageId);
					const ui = describeError(error);
					if (message && message.status === 'streaming' && ui.code !== 'NETWORK') {
						message.status = 'error';
						message.error = { code: 'unknown', message: ui.message };
					}
					finish();
				},
				onComplete: finish,
				onStopped: finish
			}
		);
		this.#subscriptions.set(messageId, subscription);
	}

	#apply(messageId: string, event: StreamEvent, live: LiveAnswer) {
		const message = this.#find(messageId);
		if (!message) return;
		switch (event.type) {
			case 'start':
				// A fresh subscription replays the whole answer: rebuild it instead of appending twice.
				message.content = '';
				message.status = 'streaming';
				message.error = null;
				if (event.providerId) message.providerId = event.providerId;
				if (event.modelId) message.modelId = event.modelId;
				live.fallbacks = [];
				break;
			case 'delta':
				message.content += event.text;
				break;
			case 'fallback':
				live.fallbacks = [...live.fallbacks, event];
				message.providerId = event.to.providerId;
				message.modelId = event.to.modelId;
				break;
			case 'done':
				message.status = event.finishReason === 'aborted' ? 'stopped' : 'complete';
				message.finishReason = event.finishReason;
				message.inputTokens = event.usage.inputTokens;
				message.outputTokens = event.usage.outputTokens;
				message.costUsd = event.usage.costUsd;
				message.usageEstimated = event.usage.estimated;
				break;
			case 'error':
				message.status = 'error';
				message.error = { code: event.error.code satisfies ProviderErrorCode, message: event.error.message };
				live.retryable = event.error.retryable;
				break;
		}
	}

	/** After an answer ends: the stored messages are the truth (final text, usage, title). */
	async #settle(): Promise<void> {
		try {
			const detail = await trpc.chats.get.query({ chatId: this.id });
			this.#merge(detail);
			const { messages: _messages, ...chat } = detail;
			chatList.upsert(chat);
		} catch {
			// The stream's own events already show the outcome; the next load settles the rest.
		}
	}

	#merge(detail: ChatDetail) {
		if (this.#sending > 0) {
			this.#deferred = detail;
			return;
		}
		const { messages, ...chat } = detail;
		// Keep unsaved setting edits on top of what the server has.
		this.chat = { ...chat, ...this.#pendingPatch };
		const existing = new Map(this.messages.map((m) => [m.id, m]));
		const next: UiMessage[] = messages.map((m) => {
			const current = existing.get(m.id);
			if (!current) return { ...m, key: m.id };
			// While watched live, the stream is ahead of the periodically saved text.
			if (m.status === 'streaming' && this.#subscriptions.has(m.id)) {
				assignChanged(current, { ...m, content: current.content });
			} else {
				assignChanged(current, m);
			}
			return current;
		});
		const pending = this.messages.filter((m) => isPending(m.id));
		this.messages = [...next, ...pending];
	}
}

const sessions = new Map<string, ChatSession>();
const MAX_SESSIONS = 12;

/** The session of a chat, kept while the person moves between chats so a running answer keeps streaming. */
export function chatSession(chatId: string): ChatSession {
	// During server rendering nothing is loaded or kept: the browser builds the real session.
	if (typeof window === 'undefined') return new ChatSession(chatId);
	let session = sessions.get(chatId);
	if (!session) {
		session = new ChatSession(chatId);
		sessions.set(chatId, session);
		prune(chatId);
	}
	return session;
}

export function dropChatSession(chatId: string) {
	sessions.get(chatId)?.dispose();
	sessions.delete(chatId);
}

function prune(keep: string) {
	for (const [id, session] of sessions) {
		if (sessions.size <= MAX_SESSIONS) return;
		if (id === keep || session.streaming) continue;
		session.dispose();
		sessions.delete(id);
	}
}
