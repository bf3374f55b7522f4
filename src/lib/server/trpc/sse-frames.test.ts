import { TRPCError, tracked } from '@trpc/server';
import { sseStreamProducer } from '@trpc/server/unstable-core-do-not-import';
import superjson from 'superjson';
import { describe, expect, it, vi } from 'vitest';
import { sseFrames, type SseFrameOptions } from './sse-frames';

/** The same source and options through tRPC's own producer and through sseFrames. */
async function both(source: () => AsyncIterable<unknown>, options: Partial<SseFrameOptions> = {}) {
	const settings: SseFrameOptions = {
		client: { reconnectAfterInactivityMs: 25_000 },
		lastEventId: null,
		serialize: (value) => superjson.serialize(value),
		formatError: (error) => ({ message: (error as Error).message }),
		...options
	};
	const stream = sseStreamProducer({
		data: source(),
		serialize: settings.serialize,
		formatError: ({ error }) => settings.formatError(error),
		lastEventId: settings.lastEventId,
		client: settings.client,
		ping: settings.pingMs === undefined ? undefined : { enabled: true, intervalMs: settings.pingMs }
	});
	const theirs = await new Response(stream).text();
	let ours = '';
	for await (const frame of sseFrames(source(), settings)) ours += frame;
	return { theirs, ours };
}

describe("sseFrames writes tRPC's SSE bytes", () => {
	it('for tracked values (ids), then the end', async () => {
		const { theirs, ours } = await both(async function* () {
			yield tracked('1', { type: 'delta', text: 'Hé "quoted"\nline' });
			yield tracked('2', { type: 'done', at: new Date(0) });
		});
		expect(ours).toBe(theirs);
		expect(ours).toContain('id: 2\n');
	});

	it('for untracked values, with and without an id to restore', async () => {
		const source = async function* () {
			yield { n: 1 };
			yield tracked('7', { n: 2 });
			yield { n: 3 };
		};
		for (const lastEventId of [null, '5']) {
			const { theirs, ours } = await both(source, { lastEventId });
			expect(ours).toBe(theirs);
		}
		expect((await both(source, { lastEventId: '5' })).ours).toContain('event: restore-id\n');
	});

	it('for a source that throws, after what it yielded, and one that fails at once', async () => {
		const late = await both(async function* () {
			yield tracked('1', 'a');
			throw new TRPCError({ code: 'NOT_FOUND', message: 'No such answer' });
		});
		expect(late.ours).toBe(late.theirs);
		expect(late.ours).toContain('event: serialized-error\ndata: {"json":{"message":"No such answer"}}');
		const early = await both(() => ({
			[Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new Error('refused')) })
		}));
		expect(early.ours).toBe(early.theirs);
	});

	it('ends without an error frame when the source was aborted', async () => {
		const { theirs, ours } = await both(async function* () {
			yield tracked('1', 'a');
			throw new DOMException('gone', 'AbortError');
		});
		expect(ours).toBe(theirs);
		expect(ours).not.toContain('serialized-error');
	});

	it('pings while the source is quiet, as tRPC does', async () => {
		const source = async function* () {
			yield tracked('1', 'a');
			await new Promise((resolve) => setTimeout(resolve, 130));
			yield tracked('2', 'b');
		};
		// On the test's own clock: on a busy machine real timers fire late, and 130 ms of quiet then
		// held one ping, not two.
		vi.useFakeTimers();
		let result: Awaited<ReturnType<typeof both>> | undefined;
		try {
			const running = both(source, { pingMs: 50 }).then((value) => (result = value));
			while (!result) await vi.advanceTimersByTimeAsync(10);
			await running;
		} finally {
			vi.useRealTimers();
		}
		const { theirs, ours } = result;
		// Two pings in 130 ms of quiet at 50 ms, in both.
		const pings = (text: string) => text.split('event: ping\n').length - 1;
		expect(pings(ours)).toBe(2);
		expect(pings(theirs)).toBe(2);
		expect(ours).toBe(theirs);
	});

	it('sends a ping that fell due while nobody read the frames as soon as they are read again', async () => {
		let release: () => void = () => {};
		const quietUntil = new Promise<void>((resolve) => (release = resolve));
		const frames = sseFrames(
			(async function* () {
				yield tracked('1', 'first');
				await quietUntil;
				yield tracked('2', 'late');
			})(),
			{ client: {}, lastEventId: null, pingMs: 30, serialize: (value) => value, formatError: () => null }
		);
		expect((await frames.next()).value).toContain('event: connected');
		expect((await frames.next()).value).toContain('data: "first"');
		// Nobody reads for three intervals: the ping is owed, not lost (else the next read would wait
		// for the source, which stays quiet until the ping has arrived).
		await new Promise((resolve) => setTimeout(resolve, 100));
		expect((await frames.next()).value).toContain('event: ping');
		release();
		expect((await frames.next()).value).toContain('data: "late"');
		await frames.return(undefined);
	});

	it('ends its source when the frames are abandoned', async () => {
		let ended = false;
		const source = async function* () {
			try {
				yield tracked('1', 'a');
				yield tracked('2', 'b');
			} finally {
				ended = true;
			}
		};
		const frames = sseFrames(source(), {
			client: {},
			lastEventId: null,
			serialize: (value) => value,
			formatError: () => null
		});
		await frames.next();
		await frames.next();
		await frames.return(undefined);
		expect(ended).toBe(true);
	});
});
