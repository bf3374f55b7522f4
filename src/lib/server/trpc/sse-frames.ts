import { isTrackedEnvelope } from '@trpc/server/unstable-core-do-not-import';

/*
 * tRPC's SSE wire format for a subscription, produced as plain strings: the bytes its fetch adapter
 * writes (sseStreamProducer), without the five web streams it passes each event through (a stream
 * from the generator, a transform that enqueues every line apart, a text encoder, an abort wrapper,
 * and the slot release's). tRPC's clients (httpSubscriptionLink) read it as they read tRPC's own;
 * sse-frames.test.ts holds the two side by side, byte for byte.
 */

export type SseFrameOptions = {
	/** What the `connected` event tells the client (tRPC's `sse.client`). */
	client: object;
	/** A `ping` event after this long without a value (tRPC's `sse.ping.intervalMs`); none without. */
	pingMs?: number;
	/** The id the client resumed from, if any: an untracked value after it keeps that id. */
	lastEventId: string | null;
	/** The router's transformer (superjson) for values and error shapes. */
	serialize(value: unknown): unknown;
	/** The error's shape as the router's error formatter makes it. */
	formatError(error: unknown): unknown;
};

type Frame = { event?: string; data: string; id?: string };

/** One event as tRPC's producer spells it: each field on its line, then a blank line (and one more). */
function frame({ event, data, id }: Frame): string {
	return `${event !== undefined ? `event: ${event}\n` : ''}data: ${data}\n${id !== undefined ? `id: ${id}\n` : ''}\n\n`;
}

const PING = Symbol('ping');

function isAbortError(error: unknown): boolean {
	return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}

/**
 * A subscription's frames: `connected`, one per value (tracked values carry their id), a `ping` after
 * each quiet interval, then `return`, or `serialized-error` when the source throws (nothing more when
 * it was aborted). Ending the frames early (`return()`) ends the source.
 */
export async function* sseFrames(
	source: AsyncIterable<unknown>,
	options: SseFrameOptions
): AsyncGenerator<string> {
	yield frame({ event: 'connected', data: JSON.stringify(options.client) });
	const iterator = source[Symbol.asyncIterator]();
	let lastEventId = options.lastEventId && !/[\0\n\r]/.test(options.lastEventId) ? options.lastEventId : null;
	// One timer for the whole stream, pushed back by every value, rather than one per value. A ping due
	// while the frames are not being read is sent when they are.
	let wake: ((ping: typeof PING) => void) | null = null;
	let due = false;
	const timer =
		options.pingMs === undefined
			? null
			: setTimeout(() => {
					if (wake) wake(PING);
					else due = true;
				}, options.pingMs);
	let pending: Promise<IteratorResult<unknown>> | null = null;
	try {
		for (;;) {
			const waiting = (pending ??= iterator.next());
			// A new promise per wait (not a race against one long-lived timer promise, which would keep
			// a reaction for every value until it settled).
			const next = due
				? PING
				: await new Promise<IteratorResult<unknown> | typeof PING>((resolve, reject) => {
						wake = resolve;
						waiting.then(resolve, reject);
					});
			wake = null;
			due = false;
			if (next === PING) {
				timer?.refresh();
				yield frame({ event: 'ping', data: '' });
				continue;
			}
			pending = null;
			if (next.done) break;
			timer?.refresh();
			const value = next.value;
			if (isTrackedEnvelope(value)) {
				lastEventId = value[0];
				yield frame({ data: JSON.stringify(options.serialize(value[1])), id: value[0] });
			} else if (lastEventId === null) {
				yield frame({ data: JSON.stringify(options.serialize(value)) });
			} else {
				// An untracked value would reset the client's resume point: it gets it back at once.
				yield frame({ data: JSON.stringify(options.serialize(value)), id: '' });
				yield frame({ event: 'restore-id', data: '', id: lastEventId });
			}
		}
		yield frame({ event: 'return', data: '' });
	} catch (error) {
		if (isAbortError(error)) return;
		yield frame({
			event: 'serialized-error',
			data: JSON.stringify(options.serialize(options.formatError(error)))
		});
	} finally {
		if (timer) clearTimeout(timer);
		// A value still being waited for is abandoned with the source.
		if (pending) void iterator.return?.().catch(() => {});
		else await iterator.return?.();
	}
}
