import { describe, expect, it } from 'vitest';
import { retryDelayMs, shouldRetry, streamWithRetries, type StartedCall } from './resilient-stream';
import { ProviderError, type ChatProvider, type ChatRequest, type StreamPart } from './types';

const error = (code: ProviderError['code'], retryable: boolean, retryAfterMs?: number) =>
	new ProviderError({ code, retryable, retryAfterMs, message: 'x', providerId: 'p' });

describe('retry decisions (pure)', () => {
	it('retries retryable errors before text, within the budget, except timeouts', () => {
		expect(shouldRetry(error('unavailable', true), 0, 2, false)).toBe(true);
		expect(shouldRetry(error('unavailable', true), 2, 2, false)).toBe(false);
		expect(shouldRetry(error('unavailable', true), 0, 2, true)).toBe(false);
		expect(shouldRetry(error('auth', false), 0, 2, false)).toBe(false);
		expect(shouldRetry(error('timeout', true), 0, 2, false)).toBe(false);
	});

	it('backs off exponentially with jitter, capped', () => {
		expect(retryDelayMs(error('unavailable', true), 0, { baseDelayMs: 100 }, () => 0)).toBe(50);
		expect(retryDelayMs(error('unavailable', true), 0, { baseDelayMs: 100 }, () => 1)).toBe(100);
		expect(retryDelayMs(error('unavailable', true), 3, { baseDelayMs: 100 }, () => 1)).toBe(800);
		expect(
			retryDelayMs(error('unavailable', true), 10, { baseDelayMs: 100, maxDelayMs: 1_000 }, () => 1)
		).toBe(1_000);
	});

	it('honours retry-after, capped', () => {
		expect(retryDelayMs(error('rate_limited', true, 7), 0, {})).toBe(7);
		expect(retryDelayMs(error('rate_limited', true, 90_000), 0, { maxRetryAfterMs: 10_000 })).toBe(10_000);
	});
});

/** A provider whose every call answers with `text`, counting its calls. */
function answering(text: string) {
	let calls = 0;
	const provider = {
		id: 'p',
		kind: 'openai',
		async *stream(): AsyncIterable<StreamPart> {
			calls++;
			yield { type: 'text-delta', text };
		}
	} as unknown as ChatProvider;
	return { provider, calls: () => calls };
}

/** A call begun before its attempt (generation/head-start.ts) that fails with `failure`. */
function startedFailing(failure: ProviderError): StartedCall {
	const upstream = new AbortController();
	const iterator: AsyncIterator<StreamPart> = {
		next: () => Promise.reject(failure),
		return: async () => ({ done: true, value: undefined })
	};
	const first = iterator.next();
	first.catch(() => {});
	return { iterator, upstream, first };
}

const request = { model: 'm', messages: [{ role: 'user', content: 'hi' }] } as ChatRequest;
const options = { maxRetries: 2, firstTokenTimeoutMs: 5_000, idleTimeoutMs: 5_000, baseDelayMs: 1 };

describe('streamWithRetries with a call begun before its first attempt', () => {
	it('reads the first attempt from the begun call; a retry makes its own', async () => {
		const { provider, calls } = answering('from the retry');
		const started = startedFailing(error('unavailable', true));
		const parts: StreamPart[] = [];
		for await (const part of streamWithRetries(provider, request, {
			...options,
			signal: new AbortController().signal,
			started
		}))
			parts.push(part);
		expect(parts).toEqual([{ type: 'text-delta', text: 'from the retry' }]);
		expect(calls()).toBe(1);
	});

	it('ends the begun call when the answer is stopped before its first attempt', async () => {
		const { provider, calls } = answering('never');
		const started = startedFailing(error('unavailable', true));
		const stopped = new AbortController();
		stopped.abort();
		const reading = (async () => {
			for await (const part of streamWithRetries(provider, request, {
				...options,
				signal: stopped.signal,
				started
			}))
				void part;
		})();
		await expect(reading).rejects.toMatchObject({ code: 'aborted' });
		expect(started.upstream.signal.aborted).toBe(true);
		expect(calls()).toBe(0);
	});
});

describe('streamWithRetries between attempts', () => {
	// Without the abort the wait is a minute: the test's own timeout is what fails it then.
	it('ends a retry wait at once when the answer is stopped, as aborted, and calls no one again', async () => {
		const { provider, calls } = answering('never');
		// The begun call asks to be retried after a minute.
		const started = startedFailing(error('rate_limited', true, 60_000));
		const stop = new AbortController();
		const retried: number[] = [];
		const reading = (async () => {
			for await (const part of streamWithRetries(provider, request, {
				...options,
				maxRetryAfterMs: 60_000,
				signal: stop.signal,
				started,
				onRetry: (_, attempt, delayMs) => {
					retried.push(delayMs);
					setTimeout(() => stop.abort(), 10);
				}
			}))
				void part;
		})();
		await expect(reading).rejects.toMatchObject({ code: 'aborted', providerId: 'p' });
		expect(retried).toEqual([60_000]);
		expect(calls()).toBe(0);
	});
});
