import { streamEventSchema, type StreamEvent } from '$lib/schemas/stream-events';
import type { LoggedEvent } from '../generation/event-log';
import { describeError, log } from '../log';
import type { ChainableCommander } from 'ioredis';
import { orUnavailable, type Redis } from './redis-connection';

/** Where a generation's events go besides this process's memory, so other processes can watch. */
export interface LogSink {
	append(seq: number, event: StreamEvent): void;
	/** Resolves once every event appended so far is stored. */
	drain(): Promise<void>;
}

export type RedisEventLogOptions = {
	prefix: string;
	/** How long a finished generation's stream stays for late subscribers (like the in-memory log). */
	retainMs: number;
	/** A running generation's stream expires this long after its last write (a crashed writer). */
	idleTtlMs: number;
	/**
	 * How long a reader waits, with nothing new, for a writer whose lease is missing before it gives
	 * up on it: a live writer's lease can lapse for a moment (a late renewal), a dead one's stays gone.
	 */
	writerGraceMs: number;
};

// Far above any answer's event count: the cap only bounds what a runaway writer can store.
const MAX_ENTRIES = 50_000;
// A reader with nothing new re-checks this often that the writer is still alive.
const BLOCK_MS = 1_000;
// Reader connections kept open for reuse: enough for a burst of watches, few for Redis to hold.
const MAX_IDLE_READERS = 64;

const isEnd = (event: StreamEvent) => event.type === 'done' || event.type === 'error';

/**
 * Each generation's events as a Redis Stream keyed by its id, entry ids `0-<seq>`: the very ids the
 * SSE events carry, so a watcher on any process resumes from `lastEventId` with no gap and no
 * duplicate. Writes are batched per event-loop turn into one pipelined round trip.
 */
export class RedisEventLog {
	private readonly writes: SinkWrites;
	/** Reader connections of watches that ended, kept for the next watch (see `read`). */
	private readonly idleReaders: Redis[] = [];

	constructor(
		private readonly redis: Redis,
		private readonly options: RedisEventLogOptions
	) {
		this.writes = new SinkWrites(redis);
	}

	/** Closes the idle reader connections (at shutdown; readers still open close themselves). */
	close(): void {
		for (const reader of this.idleReaders.splice(0)) reader.disconnect();
	}

	private key(id: string) {
		return `${this.options.prefix}gen:${id}`;
	}

	sink(id: string, userId: string): LogSink {
		return new RedisLogSink(this.writes, this.key(id), userId, this.options);
	}

	async exists(id: string): Promise<boolean> {
		return (await orUnavailable(() => this.redis.exists(this.key(id)))) === 1;
	}

	/** The user the generation belongs to, from its first entry, or null when there is no stream. */
	async ownerOf(id: string): Promise<string | null> {
		const [first] = await orUnavailable(() => this.redis.xrange(this.key(id), '0-1', '0-1'));
		if (!first) return null;
		const fields = first[1];
		const at = fields.indexOf('u');
		return at >= 0 ? (fields[at + 1] ?? null) : null;
	}

	/** The text streamed so far (every delta), for settling an answer whose writer died. */
	async streamedText(id: string): Promise<string> {
		const entries = await this.redis.xrange(this.key(id), '-', '+');
		let text = '';
		for (const [, fields] of entries) {
			const event = parseEntry(fields);
			if (event?.type === 'delta') text += event.text;
		}
		return text;
	}

	/**
	 * Yields the events after `after`, live, until the generation's end. Returns the last id seen
	 * when the writer went away without an end (`alive` said no while nothing came), else null.
	 */
	async *read(
		id: string,
		after: number,
		signal: AbortSignal,
		alive: () => Promise<boolean>
	): AsyncGenerator<LoggedEvent, number | null> {
		// A blocking read holds its connection: each reader has one of its own. Connections of reads
		// that reached the end are reused (opening one per watch costs a connect and a handshake on
		// both sides); a watcher that leaves mid-read breaks its blocked read by disconnecting.
		const connection =
			this.idleReaders.pop() ?? this.redis.duplicate({ connectionName: 'switchboard-reader' });
		const onAbort = () => connection.disconnect();
		signal.addEventListener('abort', onAbort, { once: true });
		let last = Math.max(0, after);
		let writerMissingSince: number | null = null;
		try {
			while (!signal.aborted) {
				const batch = await connection
					.xread('BLOCK', BLOCK_MS, 'STREAMS', this.key(id), `0-${last}`)
					.catch((error: unknown) => {
						if (signal.aborted) return null;
						throw error;
					});
				if (signal.aborted) return null;
				if (!batch) {
					if (await alive()) writerMissingSince = null;
					else {
						writerMissingSince ??= Date.now();
						if (Date.now() - writerMissingSince >= this.options.writerGraceMs) return last;
					}
					continue;
				}
				writerMissingSince = null;
				for (const [, entries] of batch) {
					for (const logged of coalesce(entries)) {
						last = Number(logged.id);
						yield logged;
						if (isEnd(logged.event)) return null;
					}
				}
			}
			return null;
		} finally {
			signal.removeEventListener('abort', onAbort);
			if (signal.aborted || this.idleReaders.length >= MAX_IDLE_READERS) connection.disconnect();
			else this.idleReaders.push(connection);
		}
	}
}

/**
 * A batch of entries as events, with each run of deltas joined into one under the last one's id,
 * as the in-memory log does for a reader that is behind (generation/event-log.ts): resuming from
 * that id continues exactly after the run.
 */
export function coalesce(entries: [id: string, fields: string[]][]): LoggedEvent[] {
	const out: LoggedEvent[] = [];
	for (const [entryId, fields] of entries) {
		const event = parseEntry(fields);
		if (!event) continue;
		const id = entryId.split('-')[1];
		const previous = out[out.length - 1];
		if (event.type === 'delta' && previous?.event.type === 'delta') {
			out[out.length - 1] = { id, event: { type: 'delta', text: previous.event.text + event.text } };
		} else out.push({ id, event });
	}
	return out;
}

function parseEntry(fields: string[]): StreamEvent | null {
	const at = fields.indexOf('e');
	if (at < 0) return null;
	const parsed = streamEventSchema.safeParse(JSON.parse(fields[at + 1] ?? 'null'));
	return parsed.success ? parsed.data : null;
}

/**
 * The writes of every sink of the process: the events each appended during one turn of the event
 * loop go to Redis together, in one pipeline for all the answers streaming at the time (a pipeline
 * per answer per turn costs a write and a reply parse each, hundreds per turn under load).
 */
class SinkWrites {
	private readonly dirty = new Set<RedisLogSink>();
	private scheduled = false;

	constructor(private readonly redis: Redis) {}

	/** The sink has events to write: they go at the end of this turn of the event loop. */
	mark(sink: RedisLogSink): void {
		this.dirty.add(sink);
		if (this.scheduled) return;
		this.scheduled = true;
		setImmediate(() => this.flush());
	}

	/** Writes every sink's pending events now, in one pipeline. */
	flush(): void {
		this.scheduled = false;
		if (this.dirty.size === 0) return;
		const sinks = [...this.dirty];
		this.dirty.clear();
		const pipeline = this.redis.pipeline();
		for (const sink of sinks) sink.writeTo(pipeline);
		const written = pipeline.exec().then(
			(results) => {
				const failed = results?.find(([error]) => error);
				if (failed) log.warn('could not share answer events', { error: describeError(failed[0]) });
			},
			(error: unknown) => log.warn('could not share answer events', { error: describeError(error) })
		);
		for (const sink of sinks) sink.written = written;
	}
}

class RedisLogSink implements LogSink {
	private pending: [number, StreamEvent][] = [];
	/** Settles once this sink's last written events are stored. */
	written: Promise<void> = Promise.resolve();

	constructor(
		private readonly writes: SinkWrites,
		private readonly key: string,
		private readonly userId: string,
		private readonly options: RedisEventLogOptions
	) {}

	append(seq: number, event: StreamEvent): void {
		this.pending.push([seq, event]);
		// Events of one turn of the event loop (a burst of tokens) go in one round trip.
		if (this.pending.length === 1) this.writes.mark(this);
	}

	async drain(): Promise<void> {
		if (this.pending.length > 0) this.writes.flush();
		await this.written;
	}

	/** Adds the pending events to the turn's pipeline. */
	writeTo(pipeline: ChainableCommander): void {
		const batch = this.pending.splice(0);
		for (const [seq, event] of batch) {
			const owner = seq === 1 ? ['u', this.userId] : [];
			pipeline.xadd(this.key, 'MAXLEN', '~', MAX_ENTRIES, `0-${seq}`, 'e', JSON.stringify(event), ...owner);
		}
		const ended = batch.some(([, event]) => isEnd(event));
		pipeline.pexpire(this.key, ended ? this.options.retainMs : this.options.idleTtlMs);
	}
}
