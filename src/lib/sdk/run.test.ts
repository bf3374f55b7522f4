import { afterEach, describe, expect, it, vi } from 'vitest';
import type { StreamEvent } from '../schemas/stream-events';
import { SwitchboardError, SwitchboardProviderError } from './errors';
import { createRun, type RunSource, type WatchHandlers } from './run';

const usage = {
	inputTokens: 1,
	outputTokens: 2,
	cacheReadTokens: 0,
	cacheWriteTokens: 0,
	costUsd: null,
	estimated: true
};
const start: StreamEvent = { type: 'start', messageId: 'm', providerId: 'openai', modelId: 'gpt' };
const done: StreamEvent = { type: 'done', finishReason: 'stop', usage };

/** A source whose events the test pushes by hand. */
function fakeSource(overrides: Partial<RunSource<string>> = {}) {
	const handlers: { current?: WatchHandlers } = {};
	const unsubscribe = vi.fn();
	const source: RunSource<string> = {
		watch(h) {
			handlers.current = h;
			return { unsubscribe };
		},
		finish: (state) => `${state.providerId}:${state.text}`,
		...overrides
	};
	const emit = (...events: StreamEvent[]) => events.forEach((e) => handlers.current?.onEvent(e));
	return { source, handlers, emit, unsubscribe };
}

async function collect(iterable: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
	const events: StreamEvent[] = [];
	for await (const event of iterable) events.push(event);
	return events;
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

afterEach(() => {
	vi.useRealTimers();
});

describe('createRun', () => {
	it('streams events to a loop and resolves the result at done', async () => {
		const fake = fakeSource();
		const run = createRun(async () => fake.source);
		const seen = collect(run);
		await tick();
		fake.emit(start, { type: 'delta', text: 'Hi' }, done);
		expect(await seen).toEqual([start, { type: 'delta', text: 'Hi' }, done]);
		expect(await run.result).toBe('openai:Hi');
		expect(fake.unsubscribe).toHaveBeenCalled();
	});

	it('keeps the events: a late loop sees them all, and result works without a loop', async () => {
		const fake = fakeSource();
		const run = createRun(async () => fake.source);
		await tick();
		fake.emit(start, { type: 'delta', text: 'a' }, done);
		expect(await run.result).toBe('openai:a');
		expect(await collect(run)).toHaveLength(3);
		expect(await collect(run)).toHaveLength(3);
	});

	it('ends the loop after an error event and rejects the result with the provider code', async () => {
		const fake = fakeSource();
		const run = createRun(async () => fake.source);
		await tick();
		const error = {
			code: 'rate_limited' as const,
			message: 'Too many',
			retryable: true,
			providerId: 'openai'
		};
		fake.emit(start, { type: 'delta', text: 'par' }, { type: 'error', error });
		const events = await collect(run);
		expect(events.at(-1)).toEqual({ type: 'error', error });
		const failure = await run.result.catch((e: unknown) => e);
		expect(failure).toBeInstanceOf(SwitchboardProviderError);
		expect(failure).toMatchObject({ code: 'rate_limited', providerId: 'openai', text: 'par' });
	});

	it('throws from the loop and rejects the result when the start fails', async () => {
		const run = createRun<string>(async () => {
			throw new SwitchboardError('UNAUTHORIZED', 'Sign in');
		});
		await expect(collect(run)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
		await expect(run.result).rejects.toBeInstanceOf(SwitchboardError);
	});

	it('fails when the stream errors or ends before the answer does', async () => {
		const fake = fakeSource();
		const run = createRun(async () => fake.source);
		await tick();
		fake.handlers.current?.onComplete();
		await expect(run.result).rejects.toThrow(/ended before/);

		const other = fakeSource();
		const second = createRun(async () => other.source);
		await tick();
		other.handlers.current?.onError(new Error('broken'));
		await expect(second.result).rejects.toMatchObject({ name: 'SwitchboardError', message: 'broken' });
	});

	it('does not leave an unhandled rejection when only the loop is used', async () => {
		const run = createRun<string>(async () => {
			throw new Error('nobody awaits result');
		});
		await expect(collect(run)).rejects.toThrow('nobody awaits result');
		// No assertion needed: vitest fails the run on an unhandled rejection.
	});

	it('gives up when the connection stays lost', async () => {
		vi.useFakeTimers();
		const fake = fakeSource();
		const run = createRun(async () => fake.source, { reconnectTimeoutMs: 1000 });
		await vi.advanceTimersByTimeAsync(0);
		fake.handlers.current?.onConnectionState({ state: 'connecting', error: new Error('down') });
		await vi.advanceTimersByTimeAsync(999);
		fake.handlers.current?.onConnectionState({ state: 'pending', error: null });
		await vi.advanceTimersByTimeAsync(5000);
		fake.handlers.current?.onConnectionState({ state: 'connecting', error: new Error('down') });
		await vi.advanceTimersByTimeAsync(1000);
		await expect(run.result).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
		expect(fake.unsubscribe).toHaveBeenCalled();
	});

	it('stop() asks the source to end the generation, after the start', async () => {
		const stop = vi.fn(async () => {});
		const fake = fakeSource({ stop });
		const run = createRun(async () => fake.source);
		await run.stop();
		expect(stop).toHaveBeenCalledOnce();
		fake.emit({ type: 'done', finishReason: 'aborted', usage });
		await expect(run.result).resolves.toBe('null:');
	});

	it('stop() without a server-side stop just stops watching', async () => {
		const fake = fakeSource();
		const run = createRun(async () => fake.source);
		await run.stop();
		await expect(run.result).rejects.toMatchObject({ code: 'CLIENT_CLOSED_REQUEST' });
		expect(fake.unsubscribe).toHaveBeenCalled();
	});
});
