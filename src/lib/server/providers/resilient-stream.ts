import { setTimeout as sleep } from 'node:timers/promises';
import { abortedError, toProviderError } from './provider-errors';
import { StallWatch } from './stall-watch';
import { ProviderError, type ChatProvider, type ChatRequest, type StreamPart } from './types';

export type StreamRetryOptions = {
	signal: AbortSignal;
	/** Retries after the first attempt (PROVIDER_MAX_RETRIES). */
	maxRetries: number;
	/** Until the first part arrives, connection included (PROVIDER_TIMEOUT_MS). */
	firstTokenTimeoutMs: number;
	/** Between parts once streaming: a stalled stream becomes `timeout`. */
	idleTimeoutMs: number;
	/** Cap on a provider's retry-after hint (default 20 s). */
	maxRetryAfterMs?: number;
	/** First backoff step (default 500 ms), doubled per retry up to maxDelayMs (default 8 s). */
	baseDelayMs?: number;
	maxDelayMs?: number;
	onRetry?(error: ProviderError, attempt: number, delayMs: number): void;
	/** The first attempt's call, already under way (generation/head-start.ts); retries make their own. */
	started?: StartedCall;
};

/**
 * A provider call begun before its attempt: the stream's iterator, the controller that ends its
 * upstream request, and its first `next()`, already asked for.
 */
export type StartedCall = {
	iterator: AsyncIterator<StreamPart>;
	upstream: AbortController;
	first: Promise<IteratorResult<StreamPart>>;
};

/**
 * Whether to try the same provider again. Never after text reached the caller (the partial answer
 * stands), never for non-retryable codes, and not for timeouts: a timeout already cost the whole
 * wait, so the caller's fallback to another provider is the better use of the user's time.
 */
export function shouldRetry(
	error: ProviderError,
	retriesDone: number,
	maxRetries: number,
	sawText: boolean
): boolean {
	return !sawText && error.retryable && error.code !== 'timeout' && retriesDone < maxRetries;
}

/** Exponential backoff with jitter, or the provider's retry-after hint (capped). Pure given `random`. */
export function retryDelayMs(
	error: ProviderError,
	retriesDone: number,
	options: Pick<StreamRetryOptions, 'maxRetryAfterMs' | 'baseDelayMs' | 'maxDelayMs'>,
	random: () => number = Math.random
): number {
	if (error.retryAfterMs !== undefined)
		return Math.min(error.retryAfterMs, options.maxRetryAfterMs ?? 20_000);
	const step = Math.min((options.baseDelayMs ?? 500) * 2 ** retriesDone, options.maxDelayMs ?? 8_000);
	// "Equal jitter": at least half the step, so retries from many requests spread without collapsing to 0.
	return Math.round(step / 2 + random() * (step / 2));
}

function copyWith(error: ProviderError, retryable: boolean): ProviderError {
	if (error.retryable === retryable) return error;
	return new ProviderError({
		code: error.code,
		message: error.message,
		providerId: error.providerId,
		retryable,
		retryAfterMs: error.retryAfterMs,
		status: error.status,
		cause: error.cause
	});
}

type AttemptState = { sawText: boolean };

/**
 * The reason an attempt's upstream request is ended with when the attempt stops before the stream's
 * end. abort() without one builds a new DOMException, stack and all; by then no one reads the reason.
 */
const ATTEMPT_ENDED = new DOMException('The attempt has ended.', 'AbortError');

/** Ends a call left before its stream's end: its upstream request, then its iterator. */
export function endCall(call: Pick<StartedCall, 'upstream' | 'iterator'>): void {
	call.upstream.abort(ATTEMPT_ENDED);
	void Promise.resolve(call.iterator.return?.()).catch(() => {});
}

/**
 * One attempt, watched: the first-token timeout runs from the call until the first part, the idle one
 * between parts (paused while the caller holds a part, so a slow consumer is not a stalled provider).
 * A timeout or the caller's abort aborts the attempt's signal, which closes the upstream request.
 */
async function* watchedAttempt(
	provider: ChatProvider,
	request: ChatRequest,
	options: StreamRetryOptions,
	state: AttemptState,
	started: StartedCall | undefined
): AsyncGenerator<StreamPart, void, undefined> {
	const upstream = started?.upstream ?? new AbortController();
	// The first failure (a timeout, the caller's abort) ends the wait under way, or the next one.
	const failure: { error?: ProviderError; interrupt?: (error: ProviderError) => void } = {};
	const fail = (error: ProviderError) => {
		if (failure.error) return;
		failure.error = error;
		failure.interrupt?.(error);
	};
	const watch = new StallWatch(options.firstTokenTimeoutMs, 'sent nothing', (ms, what) => {
		const error = new ProviderError({
			code: 'timeout',
			retryable: !state.sawText,
			message: `The provider "${provider.id}" ${what} for ${Math.round(ms / 100) / 10} s.`,
			providerId: provider.id
		});
		fail(error);
		upstream.abort(error);
	});
	const onAbort = () => {
		fail(abortedError({ providerId: provider.id }));
		upstream.abort(options.signal.reason);
	};
	options.signal.addEventListener('abort', onAbort, { once: true });
	const iterator = started?.iterator ?? provider.stream(request, upstream.signal)[Symbol.asyncIterator]();
	let first = started?.first;
	let complete = false;
	try {
		for (;;) {
			const next = first ?? iterator.next();
			first = undefined;
			if (failure.error) {
				next.catch(() => {});
				throw failure.error;
			}
			// A promise per wait that the failure can reject, rather than a race against one long-lived
			// failure promise, which would keep a reaction for every part until the stream's end.
			const result = await new Promise<IteratorResult<StreamPart>>((resolve, reject) => {
				failure.interrupt = reject;
				next.then(resolve, reject);
			});
			failure.interrupt = undefined;
			watch.hold();
			if (result.done) {
				complete = true;
				return;
			}
			if (result.value.type === 'text-delta') state.sawText = true;
			yield result.value;
			watch.wait(options.idleTimeoutMs, 'stopped sending');
		}
	} finally {
		watch.stop();
		options.signal.removeEventListener('abort', onAbort);
		// Ends the upstream request on a break, a timeout or an error. A stream read to its end has
		// ended it already, and aborting then would only have each SDK build its own abort error.
		if (!complete) upstream.abort(ATTEMPT_ENDED);
		void Promise.resolve(iterator.return?.()).catch(() => {});
	}
}

/**
 * The one retry loop. Before the first text, retryable failures are retried with backoff (honouring
 * retry-after, capped) up to `maxRetries` times; after it nothing is retried and the error is marked
 * not retryable, so callers keep the partial answer instead of falling back.
 */
export async function* streamWithRetries(
	provider: ChatProvider,
	request: ChatRequest,
	options: StreamRetryOptions
): AsyncIterable<StreamPart> {
	for (let retriesDone = 0; ; retriesDone++) {
		if (options.signal.aborted) {
			// A call begun for the first attempt ends with it (watchedAttempt would have ended it).
			if (retriesDone === 0 && options.started) endCall(options.started);
			throw abortedError({ providerId: provider.id });
		}
		const state: AttemptState = { sawText: false };
		try {
			yield* watchedAttempt(
				provider,
				request,
				options,
				state,
				retriesDone === 0 ? options.started : undefined
			);
			return;
		} catch (caught) {
			const error = toProviderError(caught, { providerId: provider.id, signal: options.signal });
			if (!shouldRetry(error, retriesDone, options.maxRetries, state.sawText)) {
				throw state.sawText ? copyWith(error, false) : error;
			}
			const delayMs = retryDelayMs(error, retriesDone, options);
			options.onRetry?.(error, retriesDone + 1, delayMs);
			// The wait ends early on the caller's abort, which ends the stream as aborted.
			await sleep(delayMs, undefined, { signal: options.signal }).catch(() => {
				throw abortedError({ providerId: provider.id });
			});
		}
	}
}
