import type { StreamEvent } from '$lib/schemas/stream-events';
import type { LogSink } from '../cluster/redis-event-log';

export type LoggedEvent = { id: string; event: StreamEvent };

/**
 * The events of one generation, numbered from 1. Readers replay what they missed, then wait for
 * more; one shared "changed" promise serves all readers, so a reader that leaves leaves nothing behind.
 * A sink, when given, gets every event with its number (other processes' watchers read it there).
 */
export class GenerationLog {
	readonly id: string;
	readonly userId: string;
	private readonly events: StreamEvent[] = [];
	private closed = false;
	private wake!: () => void;
	private changed!: Promise<void>;

	constructor(
		id: string,
		userId: string,
		private readonly sink?: LogSink
	) {
		this.id = id;
		this.userId = userId;
		this.resetChanged();
	}

	/** Resolves once the sink has stored every event so far. */
	drain(): Promise<void> {
		return this.sink?.drain() ?? Promise.resolve();
	}

	private resetChanged() {
		this.changed = new Promise<void>((resolve) => (this.wake = resolve));
	}

	get finished(): boolean {
		return this.closed;
	}

	get size(): number {
		return this.events.length;
	}

	append(event: StreamEvent): void {
		if (this.closed) return;
		this.events.push(event);
		this.sink?.append(this.events.length, event);
		if (event.type === 'done' || event.type === 'error') this.closed = true;
		const wake = this.wake;
		this.resetChanged();
		wake();
	}

	/**
	 * Yields the events after `afterId` (a previous event's id, or 0), then new ones until the end.
	 * Deltas that queued up while the reader was behind (a late subscriber's replay, a slow client, a
	 * busy loop) go out as one delta with their texts joined, in order: one SSE frame instead of many.
	 * It carries the id of the last delta it covers, so resuming from it continues exactly after.
	 */
	async *read(afterId: number, signal: AbortSignal): AsyncGenerator<LoggedEvent> {
		let next = Math.max(0, afterId);
		// One abort listener for the whole read, not one added and removed per wait (per delta).
		let wakeReader = () => {};
		const onAbort = () => wakeReader();
		signal.addEventListener('abort', onAbort, { once: true });
		try {
			while (!signal.aborted) {
				while (next < this.events.length) {
					const event = this.coalesced(next);
					next = event.end;
					yield { id: String(next), event: event.event };
				}
				if (this.closed || signal.aborted) return;
				await new Promise<void>((resolve) => {
					wakeReader = resolve;
					void this.changed.then(resolve);
				});
			}
		} finally {
			signal.removeEventListener('abort', onAbort);
		}
	}

	/** The event at `index`, or the run of deltas starting there joined into one; `end` is past it. */
	private coalesced(index: number): { event: StreamEvent; end: number } {
		const first = this.events[index];
		let end = index + 1;
		if (first.type !== 'delta') return { event: first, end };
		let text = first.text;
		for (let e = this.events[end]; e?.type === 'delta'; e = this.events[++end]) text += e.text;
		return { event: end === index + 1 ? first : { type: 'delta', text }, end };
	}
}

/** Parses a client's Last-Event-Id; anything else replays from the start. */
export function parseEventId(value: string | null | undefined): number {
	const n = Number(value);
	return Number.isInteger(n) && n > 0 ? n : 0;
}

/**
 * Live and recently finished logs. Finished logs are kept a while for late subscribers, then
 * dropped (the message in the database tells the rest), so memory stays bounded.
 */
export class GenerationLogStore {
	private readonly logs = new Map<string, GenerationLog>();
	private readonly retainMs: number;

	private readonly sinkFor?: (id: string, userId: string) => LogSink;

	constructor(options: { retainMs: number; sinkFor?: (id: string, userId: string) => LogSink }) {
		this.retainMs = options.retainMs;
		this.sinkFor = options.sinkFor;
	}

	create(id: string, userId: string): GenerationLog {
		const log = new GenerationLog(id, userId, this.sinkFor?.(id, userId));
		this.logs.set(id, log);
		return log;
	}

	get(id: string): GenerationLog | undefined {
		return this.logs.get(id);
	}

	/** Called when a generation ends. */
	release(id: string): void {
		const timer = setTimeout(() => this.logs.delete(id), this.retainMs);
		timer.unref();
	}

	get count(): number {
		return this.logs.size;
	}
}
