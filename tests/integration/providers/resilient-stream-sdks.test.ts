import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { streamWithRetries, type StreamRetryOptions } from '$lib/server/providers/resilient-stream';
import { startEmulators, type Emulators } from '../../emulators';
import { collect, providerFor, user } from './harness';

let emus: Emulators;
beforeAll(async () => {
	emus = await startEmulators();
});
afterAll(() => emus.close());
beforeEach(() => emus.reset());

const ask = (model = 'gpt-4.1-mini') => ({ model, messages: [user('hi')] });
const fast = (over: Partial<StreamRetryOptions> = {}): StreamRetryOptions => ({
	signal: new AbortController().signal,
	maxRetries: 2,
	firstTokenTimeoutMs: 2_000,
	idleTimeoutMs: 2_000,
	baseDelayMs: 1,
	...over
});

describe('streamWithRetries (one retry loop, real SDKs, emulators)', () => {
	it('retries a 429 after the retry-after-ms hint, then streams', async () => {
		emus.openai.script({ status: 429, headers: { 'retry-after-ms': '5' } });
		const retries: [string, number, number][] = [];
		const out = await collect(
			streamWithRetries(
				providerFor('openai', emus.openai),
				ask(),
				fast({ onRetry: (e, n, d) => retries.push([e.code, n, d]) })
			)
		);
		expect(out.text).toBe('Hello from gpt-4.1-mini. You said: hi');
		expect(retries).toEqual([['rate_limited', 1, 5]]);
		expect(emus.openai.requests).toHaveLength(2);
	});

	it('caps a long retry-after at maxRetryAfterMs', async () => {
		emus.anthropic.script({ status: 429, headers: { 'retry-after': '60' } });
		const delays: number[] = [];
		const out = await collect(
			streamWithRetries(
				providerFor('anthropic', emus.anthropic),
				ask('claude-sonnet-4-5'),
				fast({ maxRetryAfterMs: 3, onRetry: (_e, _n, d) => delays.push(d) })
			)
		);
		expect(out.finish).toBeDefined();
		expect(delays).toEqual([3]);
	});

	it('gives up after maxRetries and throws the last error', async () => {
		emus.anthropic.script({ status: 529, persist: true });
		const out = await collect(
			streamWithRetries(
				providerFor('anthropic', emus.anthropic),
				ask('claude-sonnet-4-5'),
				fast({ maxRetries: 2 })
			)
		);
		expect(out.error).toMatchObject({ code: 'overloaded', retryable: true });
		expect(emus.anthropic.requests).toHaveLength(3);
	});

	it('does not retry insufficient_quota, auth or unknown models', async () => {
		emus.openai.script({ status: 429, errorType: 'insufficient_quota' }, { status: 401 }, { status: 404 });
		const provider = providerFor('openai', emus.openai);
		for (const code of ['rate_limited', 'auth', 'model_not_found']) {
			const out = await collect(streamWithRetries(provider, ask(), fast()));
			expect(out.error).toMatchObject({ code, retryable: false });
		}
		expect(emus.openai.requests).toHaveLength(3);
	});

	it('retries nothing after the first token, and marks the error not retryable', async () => {
		emus.anthropic.script({ errorAfter: 1, errorType: 'overloaded_error' });
		const out = await collect(
			streamWithRetries(providerFor('anthropic', emus.anthropic), ask('claude-sonnet-4-5'), fast())
		);
		expect(out.deltas).toHaveLength(1);
		expect(out.error).toMatchObject({ code: 'overloaded', retryable: false });
		expect(emus.anthropic.requests).toHaveLength(1);
	});

	it('retries an in-stream error that came before any text', async () => {
		emus.anthropic.script({ errorAfter: 0, errorType: 'overloaded_error' });
		const out = await collect(
			streamWithRetries(providerFor('anthropic', emus.anthropic), ask('claude-sonnet-4-5'), fast())
		);
		expect(out.finish).toBeDefined();
		expect(emus.anthropic.requests).toHaveLength(2);
	});

	it('turns a stall between deltas into a timeout and closes the upstream socket', async () => {
		emus.ollama.script({ stallAfter: 2 });
		const out = await collect(
			streamWithRetries(providerFor('ollama', emus.ollama), ask('llama3.2:1b'), fast({ idleTimeoutMs: 100 }))
		);
		expect(out.deltas).toHaveLength(2);
		expect(out.error).toMatchObject({ code: 'timeout', retryable: false });
		await vi.waitFor(() => expect(emus.ollama.requests[0].clientClosed).toBe(true));
		expect(emus.ollama.requests).toHaveLength(1);
	});

	it('times out a provider that sends nothing, without retrying it (the fallback chain takes over)', async () => {
		emus.openai.script({ stallAfter: 0 });
		const started = Date.now();
		const out = await collect(
			streamWithRetries(providerFor('openai', emus.openai), ask(), fast({ firstTokenTimeoutMs: 150 }))
		);
		expect(out.error).toMatchObject({ code: 'timeout', retryable: true });
		expect(Date.now() - started).toBeLessThan(2_000);
		expect(emus.openai.requests).toHaveLength(1);
		await vi.waitFor(() => expect(emus.openai.requests[0].clientClosed).toBe(true));
	});

	it('times out a slow response before its headers', async () => {
		emus.anthropic.script({ delayMs: 1_000 });
		const out = await collect(
			streamWithRetries(
				providerFor('anthropic', emus.anthropic),
				ask('claude-sonnet-4-5'),
				fast({ firstTokenTimeoutMs: 100 })
			)
		);
		expect(out.error?.code).toBe('timeout');
		await vi.waitFor(() => expect(emus.anthropic.requests[0].clientClosed).toBe(true));
	});

	it('a slow consumer is not a stalled provider', async () => {
		emus.openai.script({ chunks: ['a', 'b', 'c'] });
		const parts: string[] = [];
		for await (const part of streamWithRetries(
			providerFor('openai', emus.openai),
			ask(),
			fast({ idleTimeoutMs: 50 })
		)) {
			if (part.type === 'text-delta') parts.push(part.text);
			await new Promise((r) => setTimeout(r, 120));
		}
		expect(parts).toEqual(['a', 'b', 'c']);
	});

	it('aborting closes the upstream socket and ends with aborted', async () => {
		emus.openai.script({ paceMs: 40, chunks: ['a', 'b', 'c', 'd', 'e'] });
		const controller = new AbortController();
		const out = await collect(
			streamWithRetries(providerFor('openai', emus.openai), ask(), fast({ signal: controller.signal })),
			() => controller.abort()
		);
		expect(out.error?.code).toBe('aborted');
		await vi.waitFor(() => expect(emus.openai.requests[0].clientClosed).toBe(true));
	});

	it('aborting during the backoff stops without another request', async () => {
		emus.openai.script({ status: 503 });
		const controller = new AbortController();
		const out = await collect(
			streamWithRetries(
				providerFor('openai', emus.openai),
				ask(),
				fast({ signal: controller.signal, baseDelayMs: 5_000, onRetry: () => controller.abort() })
			)
		);
		expect(out.error?.code).toBe('aborted');
		expect(emus.openai.requests).toHaveLength(1);
	});

	it('breaking out of the loop closes the upstream socket', async () => {
		emus.ollama.script({ paceMs: 40, chunks: ['a', 'b', 'c', 'd'] });
		for await (const part of streamWithRetries(
			providerFor('ollama', emus.ollama),
			ask('llama3.2:1b'),
			fast()
		)) {
			if (part.type === 'text-delta') break;
		}
		await vi.waitFor(() => expect(emus.ollama.requests[0].clientClosed).toBe(true));
	});

	it('a missing terminator is an error after text, and retried before any', async () => {
		emus.openai.script({ omitTerminator: true });
		const out = await collect(streamWithRetries(providerFor('openai', emus.openai), ask(), fast()));
		expect(out.error).toMatchObject({ code: 'unavailable', retryable: false });
		emus.openai.script({ omitTerminator: true, chunks: [] });
		const retried = await collect(streamWithRetries(providerFor('openai', emus.openai), ask(), fast()));
		expect(retried.finish).toBeDefined();
	});
});
