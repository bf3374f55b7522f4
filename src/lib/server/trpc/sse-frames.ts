import { isAbortError, isTrackedEnvelope } from '@trpc/server/unstable-core-do-not-import';
import { pacedReader, PING } from './paced-results';

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
	let lastEventId = options.lastEventId && !/[\0\n\r]/.test(options.lastEventId) ? options.lastEventId : null;
	const reader = pacedReader(source, options.pingMs);
	try {
		for (;;) {
			const next = await reader.next();
			if (next === PING) {
				yield frame({ event: 'ping', data: '' });
				continue;
			}
			if (next.done) break;
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
		await reader.close();
	}
}
