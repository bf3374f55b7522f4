import { SvelteMap } from 'svelte/reactivity';
import { activePath, newestLeaf } from '$lib/schemas/conversation-tree';
import type { FallbackEvent, StreamEvent } from '$lib/schemas/stream-events';
import { catalog } from './catalog.svelte';
import { chatList } from './chat-list.svelte';
import type { Attachment } from './composer-files.svelte';
import { ChatSettingsSaver, type ChatMeta, type ChatSettingsPatch } from './chat-settings.svelte';
import { trpc, type ChatDetail } from './client';
import { newClientId } from '$lib/schemas/ids';
import { describeError, type UiError } from './errors';
import { FrameBatch } from './frame-batch';
import {
	applyStreamEvent,
	buildTurns,
	isPending,
	mergeMessages,
	optimisticTurn,
	startedAnswer,
	type UiMessage
} from './messages';

export type { ChatMeta, ChatSettingsPatch } from './chat-settings.svelte';
export type { Turn, UiMessage } from './messages';

/** What only a live stream knows about an answer: fallbacks on the way and the connection. */
export class LiveAnswer {
	/** When this page started watching, and when the answer ended: the time a comparison shows. */
	readonly startedAt = Date.now();
	endedAt = $state<number | null>(null);
	fallbacks = $state<FallbackEvent[]>([]);
	connection = $state<'connecting' | 'open' | 'reconnecting'>('connecting');
	retryable = $state(false);
}

/**
 * What screen readers are told about answers, once per start and once per end. Set where the
 * stream's own events arrive, so a page that mounts late (a new chat's page, after the first
 * answer already began on the home page) still tells how it ended.
 */
export type Announcement = Pick<UiMessage, 'providerId' | 'content' | 'error'> & {
	phase: 'answering' | 'complete' | 'stopped' | 'error';
};

/**
 * One chat as the browser sees it: its settings, its messages, and a subscription per answer being
 * written. Deltas only touch the one message's `content`, at most once per frame, so the rest of the
 * list does not re-render.
 */
export class ChatSession {
	readonly id: string;
	chat = $state<ChatMeta | null>(null);
	messages = $state<UiMessage[]>([]);
	/** The last message of the branch on screen (the server keeps it too, so a reload shows the same). */
	activeLeafId = $state<string | null>(null);
	/** The answers of a comparison still shown side by side, until one is kept. */
	comparing = $state<string[]>([]);
	status = $state<'idle' | 'loading' | 'ready' | 'not-found' | 'error'>('idle');
	loadError = $state<UiError | null>(null);
	sendError = $state<UiError | null>(null);
	live = new SvelteMap<string, LiveAnswer>();
	announcement = $state<Announcement | null>(null);
	readonly settings: ChatSettingsSaver;
	// Bookkeeping the UI never reads, so plain (non-reactive) collections.
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	#subscriptions = new Map<string, { unsubscribe: () => void }>();
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	#stopRequested = new Set<string>();
	/** Sends awaiting their ids: a server snapshot taken meanwhile would duplicate the optimistic messages. */
	#sending = 0;
	/** Answers whose send is on its way: the server does not know them yet (a stop waits for it). */
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	#unsent = new Set<string>();
	#deferred: ChatDetail | null = null;
	/** Branch choices not yet saved: a snapshot taken meanwhile must not switch back. */
	#selecting = 0;
	/** Deltas reach the message once per frame, however fast they arrive. */
	#deltas = new FrameBatch((id, text) => {
		const message = this.#find(id);
		if (message) message.content += text;
	});

	streaming = $derived(this.messages.some((m) => m.role === 'assistant' && m.status === 'streaming'));
	turns = $derived(buildTurns(this.messages, this.activeLeafId));
	/** The branch on screen, root first. */
	path = $derived(activePath(this.messages, this.activeLeafId));

	constructor(id: string) {
		this.id = id;
		this.settings = new ChatSettingsSaver(id, (chat) => (this.chat = chat));
	}

	get settingsError(): UiError | null {
		return this.settings.error;
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
				if (m.role === 'assistant' && m.status === 'streaming' && !isPending(m.id)) this.#subscribe(m.id);
			}
		} catch (error) {
			const ui = describeError(error);
			this.status = ui.code === 'NOT_FOUND' ? 'not-found' : 'error';
			this.loadError = ui;
		}
	}

	/**
	 * Sends a message: shown at once, streamed as soon as the server starts it. The ids are picked
	 * here, so the answer's stream opens alongside the send (one round trip to the first token).
	 */
	async send(content: string, attachments: Attachment[] = []): Promise<boolean> {
		if (!this.chat) return false;
		this.sendError = null;
		await this.settings.flush();
		const chat = this.chat;
		const [user, answer] = optimisticTurn(
			this.id,
			content,
			{ providerId: chat.providerId, modelId: chat.modelId },
			this.path.at(-1)?.id ?? null,
			attachments
		);
		const ids = { userMessageId: newClientId(), assistantMessageId: newClientId() };
		// The keys stay as they are (nothing re-renders); the ids are the ones the server will use.
		Object.assign(user, { id: ids.userMessageId });
		Object.assign(answer, { id: ids.assistantMessageId, parentId: ids.userMessageId });
		this.messages.push(user, answer);
		const previousLeaf = this.activeLeafId;
		this.activeLeafId = answer.id;
		this.#sending++;
		this.#unsent.add(answer.id);
		this.#subscribe(answer.id, { awaitStart: true });
		try {
			const sent = await trpc.chats.send.mutate({
				chatId: this.id,
				content,
				...(attachments.length ? { attachmentIds: attachments.map((a) => a.id) } : {}),
				providerId: chat.providerId ?? undefined,
				modelId: chat.modelId ?? undefined,
				temperature: chat.temperature,
				maxTokens: chat.maxTokens,
				...ids
			});
			this.#unsent.delete(answer.id);
			this.#confirm(user.key, answer.key, sent);
			this.#subscribe(sent.assistantMessageId);
			if (this.#stopRequested.delete(answer.id)) void this.stop(sent.assistantMessageId);
			// The first message names the chat: the list shows the new title right away.
			void chatList.refresh();
			return true;
		} catch (error) {
			// The waiting stream would end with this same error: it goes with the message it was for.
			this.#unsent.delete(answer.id);
			this.#stopRequested.delete(answer.id);
			this.#subscriptions.get(answer.id)?.unsubscribe();
			this.#subscriptions.delete(answer.id);
			this.live.delete(answer.id);
			this.messages = this.messages.filter((m) => m.key !== user.key && m.key !== answer.key);
			this.activeLeafId = previousLeaf;
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

	/** Ends an answer being written (or all of them); the server keeps what streamed as `stopped`. */
	async stop(messageId?: string): Promise<void> {
		const targets = messageId
			? [messageId]
			: this.messages.filter((m) => m.role === 'assistant' && m.status === 'streaming').map((m) => m.id);
		await Promise.all(
			targets.map(async (id) => {
				if (isPending(id) || this.#unsent.has(id)) {
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
			this.messages.push(
				startedAnswer(this.id, result, {
					providerId: target.providerId ?? previous?.providerId ?? null,
					modelId: target.modelId ?? previous?.modelId ?? null
				})
			);
			this.activeLeafId = result.assistantMessageId;
			this.#subscribe(result.assistantMessageId);
		} catch (error) {
			this.sendError = describeError(error);
		}
	}

	/** A new version of a sent question: a new branch from that point, answered at once; the old one stays. */
	async edit(messageId: string, content: string): Promise<boolean> {
		if (!this.chat) return false;
		this.sendError = null;
		await this.settings.flush();
		const original = this.#find(messageId);
		try {
			const result = await trpc.chats.edit.mutate({
				messageId,
				content,
				providerId: this.chat.providerId ?? undefined,
				modelId: this.chat.modelId ?? undefined
			});
			const target = { providerId: this.chat.providerId, modelId: this.chat.modelId };
			const [user] = optimisticTurn(this.id, content, target, original?.parentId ?? null);
			Object.assign(user, { key: result.userMessageId, id: result.userMessageId });
			this.messages.push(user, startedAnswer(this.id, result, target));
			this.activeLeafId = result.assistantMessageId;
			this.#subscribe(result.assistantMessageId);
			return true;
		} catch (error) {
			this.sendError = describeError(error);
			return false;
		}
	}

	/** One question to 2-4 models; their answers are shown side by side until one is kept. */
	async compare(
		content: string,
		targets: { providerId: string; modelId: string }[],
		attachments: Attachment[] = []
	): Promise<boolean> {
		if (!this.chat) return false;
		this.sendError = null;
		await this.settings.flush();
		try {
			const result = await trpc.chats.compare.mutate({
				chatId: this.id,
				content,
				targets,
				...(attachments.length ? { attachmentIds: attachments.map((a) => a.id) } : {})
			});
			const target = { providerId: this.chat.providerId, modelId: this.chat.modelId };
			const [user] = optimisticTurn(this.id, content, target, this.path.at(-1)?.id ?? null, attachments);
			Object.assign(user, { key: result.userMessageId, id: result.userMessageId });
			const now = Date.now();
			// Columns keep the order the models were picked in, as the server's times for them do.
			const answers = result.assistantMessageIds.map((id, i) =>
				startedAnswer(
					this.id,
					{ assistantMessageId: id, userMessageId: result.userMessageId },
					targets[i],
					now + 1 + i
				)
			);
			this.messages.push(user, ...answers);
			this.activeLeafId = result.assistantMessageIds[0];
			this.comparing = result.assistantMessageIds;
			for (const id of result.assistantMessageIds) this.#subscribe(id);
			void chatList.refresh();
			return true;
		} catch (error) {
			this.sendError = describeError(error);
			return false;
		}
	}

	/**
	 * Shows the branch through a message (its newest continuation) at once, and saves the choice so
	 * a reload or another device shows the same branch.
	 */
	async selectBranch(messageId: string): Promise<void> {
		this.activeLeafId = newestLeaf(this.messages, messageId)?.id ?? messageId;
		this.comparing = [];
		this.#selecting++;
		try {
			const saved = await trpc.chats.selectBranch.mutate({ messageId });
			this.activeLeafId = saved.activeLeafId;
		} catch (error) {
			this.sendError = describeError(error);
		} finally {
			this.#selecting--;
		}
	}

	/** Changes the chat's settings now on screen, and on the server shortly after. */
	updateSettings(patch: ChatSettingsPatch) {
		if (!this.chat) return;
		this.chat = { ...this.chat, ...patch };
		this.settings.queue(patch);
	}

	dispose() {
		for (const sub of this.#subscriptions.values()) sub.unsubscribe();
		this.#subscriptions.clear();
		this.#deltas.clear();
		this.settings.cancel();
	}

	#find(id: string): UiMessage | undefined {
		return this.messages.find((m) => m.id === id);
	}

	/** Settles the optimistic messages under the server's ids (dropping copies a snapshot may have brought meanwhile). */
	#confirm(userKey: string, answerKey: string, sent: { userMessageId: string; assistantMessageId: string }) {
		this.messages = this.messages.filter(
			(m) =>
				m.key === userKey ||
				m.key === answerKey ||
				(m.id !== sent.userMessageId && m.id !== sent.assistantMessageId)
		);
		const user = this.messages.find((m) => m.key === userKey);
		const answer = this.messages.find((m) => m.key === answerKey);
		if (user) user.id = sent.userMessageId;
		if (answer) {
			answer.id = sent.assistantMessageId;
			answer.parentId = sent.userMessageId;
		}
		if (this.activeLeafId === answerKey) this.activeLeafId = sent.assistantMessageId;
	}

	/** Watches an answer; `awaitStart` when its send is still on its way (its id picked here). */
	#subscribe(messageId: string, options: { awaitStart?: boolean } = {}) {
		if (this.#subscriptions.has(messageId)) return;
		const live = this.live.get(messageId) ?? new LiveAnswer();
		this.live.set(messageId, live);
		this.#announce(messageId);
		const finish = () => {
			if (!this.#subscriptions.delete(messageId)) return;
			live.endedAt ??= Date.now();
			void this.#settle();
		};
		const subscription = trpc.chats.stream.subscribe(
			{ messageId, ...options },
			{
				onData: ({ data }) => this.#apply(messageId, data, live),
				onConnectionStateChange: (state) => {
					if (state.state === 'pending') live.connection = 'open';
					else if (state.state === 'connecting')
						live.connection = state.error ? 'reconnecting' : 'connecting';
				},
				onError: (error) => {
					const ui = describeError(error);
					if (ui.code === 'NOT_FOUND' && options.awaitStart) {
						// A server too busy to start the send within its wait: watched again once the send
						// is through (at once if it already is; a failed send drops the message instead).
						this.#subscriptions.delete(messageId);
						if (!this.#unsent.has(messageId) && this.#find(messageId)) this.#subscribe(messageId);
						return;
					}
					const message = this.#find(messageId);
					if (message && message.status === 'streaming' && ui.code !== 'NETWORK') {
						message.status = 'error';
						message.error = { code: 'unknown', message: ui.message };
						this.#announce(messageId);
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
		if (event.type === 'delta') {
			this.#deltas.push(messageId, event.text);
			return;
		}
		// Every other event comes after the text before it: start resets it, done and error end it.
		this.#deltas.flush(messageId);
		const message = this.#find(messageId);
		if (!message) return;
		const effect = applyStreamEvent(message, event);
		if (effect.reset) live.fallbacks = [];
		if (effect.fallback) live.fallbacks = [...live.fallbacks, effect.fallback];
		if (effect.retryable !== undefined) live.retryable = effect.retryable;
		if (event.type === 'start') this.#followAlias(event);
		if (event.type === 'done' || event.type === 'error') this.#announce(messageId);
	}

	/** An answer from elsewhere than the chat's alias points here: it was repointed, so read the catalog again. */
	#followAlias(event: Extract<StreamEvent, { type: 'start' }>) {
		const alias = catalog.alias(this.chat?.providerId, this.chat?.modelId);
		if (alias && (alias.providerId !== event.providerId || alias.modelId !== event.modelId)) {
			void catalog.refresh();
		}
	}

	#announce(messageId: string) {
		const message = this.#find(messageId);
		if (!message) return;
		const { status, providerId, content, error } = message;
		this.announcement = { phase: status === 'streaming' ? 'answering' : status, providerId, content, error };
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
		const { messages, comparing, ...chat } = detail;
		// Unsaved setting edits stay on top of what the server has.
		this.chat = { ...chat, ...this.settings.pending };
		if (this.#selecting === 0) {
			this.activeLeafId = detail.activeLeafId;
			// A new array on every snapshot would wake every turn's columns for nothing.
			if (comparing.join() !== this.comparing.join()) this.comparing = comparing;
		}
		this.messages = mergeMessages(this.messages, messages, (id) => this.#subscriptions.has(id));
	}
}

// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a cache, never rendered
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
