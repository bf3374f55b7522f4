import type { StreamEvent } from '$lib/schemas/stream-events';
import type { LoggedEvent } from '../generation/event-log';
import type { Context } from './context';
import { whileAuthenticated } from './revocable-stream';

/** An event of a generation, as a subscriber reads `tracked(id, event)`: resumable from `id`. */
export type WatchedEvent = { id: string; data: StreamEvent };

/**
 * A start's answer (its ids) with the generation's events in the same response: a mutation that
 * starts a generation and streams it, for httpBatchStreamLink (JSON lines). One request per turn;
 * the events are those the matching subscription gives, under the same ids, so a client whose
 * response breaks resumes there with `lastEventId`. Leaving stops the watching, never the answer.
 */
export function withEvents<T extends object>(
	ctx: Pick<Context, 'app' | 'auth'>,
	signal: AbortSignal | undefined,
	started: T,
	open: (signal: AbortSignal) => AsyncIterable<LoggedEvent>
): T & { events: AsyncGenerator<WatchedEvent> } {
	return { ...started, events: watched(ctx, signal, open) };
}

async function* watched(
	ctx: Pick<Context, 'app' | 'auth'>,
	signal: AbortSignal | undefined,
	open: (signal: AbortSignal) => AsyncIterable<LoggedEvent>
): AsyncGenerator<WatchedEvent> {
	for await (const { id, event } of whileAuthenticated(ctx.app, ctx.auth, signal, open)) {
		yield { id, data: event };
	}
}
