import type { TRPCClient } from '@trpc/client';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { FallbackEvent, StreamEvent, StreamUsage } from '../schemas/stream-events';
import type { FinishReason } from '../schemas/common';
import { encodeBase64 } from '../schemas/attachments';
import { newClientId } from '../schemas/ids';
import type { AppRouter } from '../server/trpc/router';
import { toSwitchboardError } from './errors';
import { createRun, type GenerationRun, type RunOptions, type WatchHandlers } from './run';
import type { RunState } from './run-state';

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

type SendInput = RouterInputs['chats']['send'];

/** A file to send: its bytes and name (uploaded first), or the id of an earlier upload. */
export type AttachmentSource = { name: string; data: Uint8Array } | { id: string };

export type AskInput = Omit<SendInput, 'chatId' | 'attachmentIds'> & {
	/** Images (for vision models) and text files sent with `content`; their type is checked from the bytes. */
	attachments?: AttachmentSource[];
	/** Continue this chat; without it a new chat is created with these settings. */
	chatId?: string;
	/** The chat's system prompt (set on the new chat, or updated on the given one). */
	system?: string;
	/** Title of a new chat. */
	title?: string;
};

export type CompletionInput = RouterInputs['completions']['create'];
export type CompletionOutput = RouterOutputs['completions']['create'];

/** The end of a generation: who really answered (after any fallback), what, and what it cost. */
export type GenerationResult = {
	text: string;
	providerId: string;
	modelId: string;
	finishReason: FinishReason;
	usage: StreamUsage;
	/** Providers that failed before the first token and were skipped, in order. */
	fallbacks: FallbackEvent[];
};

export type AskResult = GenerationResult & { chatId: string; messageId: string };
export type CompletionStreamResult = GenerationResult & { generationId: string };

export type AskRun = GenerationRun<AskResult>;
export type CompletionRun = GenerationRun<CompletionStreamResult>;

type Client = TRPCClient<AppRouter>;
type TrackedEvent = { id: string; data: StreamEvent };

/** Calls `fn`, turning whatever it throws into a SwitchboardError. */
export async function typedErrors<T>(fn: () => Promise<T>): Promise<T> {
	try {
		return await fn();
	} catch (error) {
		throw toSwitchboardError(error);
	}
}

function generationResult(state: RunState & { end: { type: 'done' } }): GenerationResult {
	return {
		text: state.text,
		providerId: state.providerId ?? '',
		modelId: state.modelId ?? '',
		finishReason: state.end.finishReason,
		usage: state.end.usage,
		fallbacks: state.fallbacks
	};
}

/** tRPC subscription callbacks for a run's handlers: tracked events carry the StreamEvent in `data`. */
function subscriptionCallbacks(handlers: WatchHandlers) {
	return {
		onData: (tracked: TrackedEvent) => handlers.onEvent(tracked.data),
		onError: handlers.onError,
		onComplete: handlers.onComplete,
		onConnectionStateChange: (state: { state: 'idle' | 'connecting' | 'pending'; error: unknown }) =>
			handlers.onConnectionState(state)
	};
}

type Subscription = { unsubscribe(): void };
type Callbacks = ReturnType<typeof subscriptionCallbacks>;

/**
 * Watches a generation through the response of the start that began it (`…AndWatch`): its events
 * as they come. Should that response end before the generation does (a dropped connection, a
 * proxy's timeout), the watch goes on with the subscription from the last event it had. A failed
 * start ends the run with its own error (createRun hears it through `sending`); an error the server
 * sends in the stream (a revoked token) ends the watch with it. Unsubscribing closes the response.
 */
function watchStarted(
	starting: Promise<{ events: AsyncIterable<TrackedEvent> }>,
	response: AbortController,
	resume: (lastEventId: string | undefined, callbacks: Callbacks) => Subscription,
	handlers: WatchHandlers
): Subscription {
	let closed = false;
	let resumed: Subscription | null = null;
	let iterator: AsyncIterator<TrackedEvent> | null = null;
	const relay = async () => {
		let lastEventId: string | undefined;
		try {
			iterator = (await starting).events[Symbol.asyncIterator]();
			for (let next = await iterator.next(); !next.done && !closed; next = await iterator.next()) {
				lastEventId = next.value.id;
				handlers.onEvent(next.value.data);
			}
		} catch (error) {
			if (closed) return;
			// The start's own failure is the run's (through `sending`); the server's word ends the watch.
			if (iterator === null) return;
			if (fromServer(error)) return handlers.onError(error);
		}
		if (!closed) resumed = resume(lastEventId, subscriptionCallbacks(handlers));
	};
	void relay();
	return {
		unsubscribe() {
			closed = true;
			response.abort();
			void iterator?.return?.()?.catch(() => {});
			resumed?.unsubscribe();
		}
	};
}

/** An error the server sent (its shape has a code), not a transport's failure. */
function fromServer(error: unknown): boolean {
	return typeof error === 'object' && error !== null && (error as { data?: unknown }).data != null;
}

/** Uploads the files given as bytes; the server checks each and answers with its id. */
async function attachmentIdsFor(client: Client, sources: readonly AttachmentSource[]): Promise<string[]> {
	const ids: string[] = [];
	for (const source of sources) {
		if ('id' in source) ids.push(source.id);
		else {
			const uploaded = await client.attachments.upload.mutate({
				name: source.name,
				data: encodeBase64(source.data)
			});
			ids.push(uploaded.id);
		}
	}
	return ids;
}

/**
 * The chat to send into: the given one (its system prompt updated if asked), or a new one the send
 * itself creates (`newChat`) under an id picked here, in the same request and transaction.
 */
async function chatFor(
	client: Client,
	input: AskInput
): Promise<{ chatId: string; newChat?: SendInput['newChat'] }> {
	if (input.chatId) {
		if (input.system !== undefined) {
			await client.chats.update.mutate({ chatId: input.chatId, systemPrompt: input.system });
		}
		return { chatId: input.chatId };
	}
	return {
		chatId: newClientId(),
		newChat: {
			title: input.title,
			providerId: input.providerId,
			modelId: input.modelId,
			systemPrompt: input.system,
			temperature: input.temperature,
			maxTokens: input.maxTokens
		}
	};
}

/**
 * Sends a message (in a new chat unless `chatId` is given) and watches the answer. The generation
 * runs on the server: a dropped connection resumes where it left off, and stop() ends it for real.
 * One request per turn: `chats.sendAndWatch` answers with the ids, then the answer's events. The
 * message ids are picked here, so stop() and a resumed watch need nothing back from the server.
 */
export function ask(client: Client, input: AskInput, options: RunOptions = {}): AskRun {
	return createRun(async () => {
		// Files first: one the server refuses stops here, before a chat is created for it.
		const attachmentIds = await typedErrors(() => attachmentIdsFor(client, input.attachments ?? []));
		const { chatId, newChat } = await typedErrors(() => chatFor(client, input));
		const messageId = input.assistantMessageId ?? newClientId();
		const response = new AbortController();
		const sending = typedErrors(() =>
			client.chats.sendAndWatch.mutate(
				{
					chatId,
					...(newChat ? { newChat } : {}),
					content: input.content,
					...(attachmentIds.length ? { attachmentIds } : {}),
					providerId: input.providerId,
					modelId: input.modelId,
					temperature: input.temperature,
					maxTokens: input.maxTokens,
					userMessageId: input.userMessageId ?? newClientId(),
					assistantMessageId: messageId
				},
				{ signal: response.signal }
			)
		);
		return {
			watch: (handlers) =>
				watchStarted(
					sending,
					response,
					(lastEventId, callbacks) => client.chats.stream.subscribe({ messageId, lastEventId }, callbacks),
					handlers
				),
			sending,
			finish: (state) => ({ ...generationResult(state), chatId, messageId }),
			stop: async () => {
				// The server knows the answer once the send is through; a refused send has nothing to stop.
				if (
					await sending.then(
						() => true,
						() => false
					)
				) {
					await typedErrors(() => client.chats.stop.mutate({ messageId }));
				}
			}
		};
	}, options);
}

/** A stateless completion, answered in one response (usage is recorded all the same). */
export function complete(client: Client, input: CompletionInput): Promise<CompletionOutput> {
	return typedErrors(() => client.completions.create.mutate(input));
}

/**
 * A stateless completion, streamed: `completions.startAndWatch` takes the prompt in a POST and
 * answers with the generation's events (one request); a resumed watch carries only the id.
 */
export function streamCompletion(
	client: Client,
	input: CompletionInput,
	options: RunOptions = {}
): CompletionRun {
	return createRun(async () => {
		const generationId = newClientId();
		const response = new AbortController();
		const starting = typedErrors(() =>
			client.completions.startAndWatch.mutate({ ...input, generationId }, { signal: response.signal })
		);
		return {
			watch: (handlers) =>
				watchStarted(
					starting,
					response,
					(lastEventId, callbacks) =>
						client.completions.stream.subscribe({ generationId, lastEventId }, callbacks),
					handlers
				),
			sending: starting,
			finish: (state) => ({ ...generationResult(state), generationId })
		};
	}, options);
}
