import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { doneEvent } from '../../../../tests/helpers/stream-events';
import { GenerationLog, GenerationLogStore, parseEventId } from './event-log';

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
	const out: T[] = [];
	for await (const item of iterable) out.push(item);
	return out;
}

describe('GenerationLog', () => {
	it('replays from a position, then tails live events to the end', async () => {
		const log = new GenerationLog('g1', 'u1');
		log.append({ type: 'start', messageId: 'g1', providerId: 'openai', modelId: 'm' });
		log.append({ type: 'delta', text: 'a' });
		const reading = collect(log.read(1, new AbortController().signal));
		log.append({ type: 'delta', text: 'b' });
		log.append(doneEvent());
		const events = await reading;
		expect(events.map((e) => e.id)).toEqual(['2', '3', '4']);
		expect(events.map((e) => e.event.type)).toEqual(['delta', 'delta', 'done']);
	});

	it("joins the deltas a reader is behind on into one, with the last one's id for resuming", async () => {
		const log = new GenerationLog('g1', 'u1');
		log.append({ type: 'start', messageId: 'g1', providerId: 'openai', modelId: 'm' });
		for (const text of ['a', 'b', 'c']) log.append({ type: 'delta', text });
		const signal = new AbortController().signal;
		const late = log.read(0, signal)[Symbol.asyncIterator]();
		expect((await late.next()).value).toMatchObject({ id: '1', event: { type: 'start' } });
		expect((await late.next()).value).toEqual({ id: '4', event: { type: 'delta', text: 'abc' } });

		log.append({ type: 'delta', text: 'd' });
		log.append({ type: 'delta', text: 'e' });
		log.append(doneEvent({ outputTokens: 5 }));
		const rest = await collect({ [Symbol.asyncIterator]: () => late });
		expect(rest.map((e) => [e.id, e.event.type === 'delta' ? e.event.text : e.event.type])).toEqual([
			['6', 'de'],
			['7', 'done']
		]);
		// Resuming from a joined delta's id continues right after what it covered.
		const resumed = await collect(log.read(4, signal));
		expect(resumed.map((e) => e.id)).toEqual(['6', '7']);
		expect(resumed[0].event).toEqual({ type: 'delta', text: 'de' });
	});

	it('ignores events after the end and stops readers that abort', async () => {
		const log = new GenerationLog('g1', 'u1');
		log.append({ type: 'delta', text: 'a' });
		const controller = new AbortController();
		const reading = collect(log.read(0, controller.signal));
		await new Promise((r) => setTimeout(r, 5));
		controller.abort();
		expect((await reading).map((e) => e.id)).toEqual(['1']);
		log.append({
			type: 'error',
			error: { code: 'unknown', message: 'x', retryable: false, providerId: 'p' }
		});
		log.append({ type: 'delta', text: 'late' });
		expect(log.size).toBe(2);
		expect(log.finished).toBe(true);
	});

	it('leaves no abort listeners behind after many subscribe/unsubscribe cycles', async () => {
		const log = new GenerationLog('g1', 'u1');
		log.append({ type: 'delta', text: 'a' });
		for (let i = 0; i < 1000; i++) {
			const controller = new AbortController();
			const iterator = log.read(1, controller.signal)[Symbol.asyncIterator]();
			const pending = iterator.next();
			controller.abort();
			expect((await pending).done).toBe(true);
		}
		// Every reader resolved on abort; the next append wakes nobody and nothing throws.
		log.append({ type: 'delta', text: 'b' });
		expect(log.size).toBe(2);
	});

	it('removes its abort listener from a long-lived signal each time it wakes', async () => {
		const log = new GenerationLog('g1', 'u1');
		const signal = new AbortController().signal;
		const reading = collect(log.read(0, signal));
		for (let i = 0; i < 200; i++) {
			log.append({ type: 'delta', text: String(i) });
			await new Promise((r) => setImmediate(r));
		}
		expect(getEventListeners(signal, 'abort').length).toBeLessThanOrEqual(1);
		log.append(doneEvent({ inputTokens: 0, outputTokens: 0, costUsd: 0 }));
		expect(await reading).toHaveLength(201);
		expect(getEventListeners(signal, 'abort')).toHaveLength(0);
	});
});

describe('GenerationLogStore', () => {
	it('drops a released log after the retention time', async () => {
		const store = new GenerationLogStore({ retainMs: 10 });
		store.create('g', 'u');
		store.release('g');
		expect(store.get('g')).toBeDefined();
		await new Promise((r) => setTimeout(r, 30));
		expect(store.get('g')).toBeUndefined();
		expect(store.count).toBe(0);
	});
});

describe('parseEventId', () => {
	it.each([
		['3', 3],
		[null, 0],
		[undefined, 0],
		['abc', 0],
		['-2', 0],
		['1.5', 0]
	])('%s -> %s', (input, expected) => expect(parseEventId(input)).toBe(expected));
});
