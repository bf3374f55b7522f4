/*
 * Reads tRPC's JSON-lines answer (what httpBatchStreamLink reads: the server's jsonl-lines.ts, or
 * tRPC's own producer) with plain promises and queues. tRPC's jsonlStreamConsumer passes every line
 * through five web streams (a reader, a text decoder, a line splitter, a parser, the transformer) and
 * one more stream per async value; a watched start's events are read here at a fraction of its cost.
 * jsonl-reader.test.ts reads the same bytes with both and compares what comes out.
 *
 * The format: a head line `{"0": [[data], ...defs]}`, where each def `[key, kind, id]` says that an
 * async value (a promise, kind 0, or an async iterable, kind 1) stands at `key` (null: the value
 * itself) and arrives in the lines `[id, status, encoded]` that follow. Every line is one value of
 * the transformer (superjson); a space alone is a ping.
 */

import {
	ASYNC_ITERABLE,
	FAILED,
	FULFILLED,
	PROMISE,
	REJECTED,
	RETURNED,
	YIELDED
} from '../schemas/jsonl-format';

type Encoded = [[unknown?], ...[key: string | null, kind: number, id: number][]];
type Chunk = [id: number, status: number, value: unknown];

export type JsonlReaderOptions = {
	from: ReadableStream<Uint8Array>;
	/** The transformer's reading of one line's value (superjson). */
	deserialize(value: unknown): unknown;
	/** The error a rejected promise or a failed iterable throws, from the error's shape. */
	formatError(shape: unknown): unknown;
	/** Aborted once nothing is left to read: every async value settled, or given up by its reader. */
	abortController: AbortController;
};

/** The lines of one async value, as they come. */
type Channel = {
	push(status: number, value: unknown): void;
	/** The stream ended (null: cleanly) before this value did. */
	end(error: unknown): void;
	done: boolean;
};

/** The head's data, its async values (promises, async iterables) resolved as their lines come. */
export async function readJsonLines(options: JsonlReaderOptions): Promise<Record<string, unknown>> {
	const channels = new Map<number, Channel>();
	let ended: { error: unknown } | null = null;
	let head: { resolve(data: Record<string, unknown>): void; reject(error: unknown): void } | null = null;
	const headRead = new Promise<Record<string, unknown>>((resolve, reject) => (head = { resolve, reject }));

	const settled = () => {
		for (const channel of channels.values()) if (!channel.done) return;
		options.abortController.abort();
	};

	const decode = (encoded: Encoded): unknown => {
		const [[data], ...defs] = encoded;
		for (const [key, kind, id] of defs) {
			const value = kind === PROMISE ? promiseAt(id) : kind === ASYNC_ITERABLE ? iterableAt(id) : undefined;
			if (value === undefined) throw new Error(`Unknown kind of async value: ${kind}`);
			if (key === null) return value;
			(data as Record<string, unknown>)[key] = value;
		}
		return data;
	};

	const open = (id: number, channel: Channel) => {
		channels.set(id, channel);
		if (ended) channel.end(ended.error ?? new Error('Stream closed unexpectedly'));
	};

	const promiseAt = (id: number): Promise<unknown> => {
		const promise = new Promise<unknown>((resolve, reject) => {
			const channel: Channel = {
				done: false,
				push(status, value) {
					if (channel.done) return;
					channel.done = true;
					try {
						if (status === FULFILLED) resolve(decode(value as Encoded));
						else if (status === REJECTED) reject(options.formatError(value));
					} catch (error) {
						reject(error);
					}
					settled();
				},
				end(error) {
					if (channel.done) return;
					channel.done = true;
					reject(error);
				}
			};
			open(id, channel);
		});
		// Nobody may wait for it (a caller that reads only the events): its failure is theirs to see.
		promise.catch(() => {});
		return promise;
	};

	const iterableAt = (id: number): AsyncIterable<unknown> => {
		const queue: IteratorResult<unknown>[] = [];
		let failure: { error: unknown } | null = null;
		let waiting: { resolve(result: IteratorResult<unknown>): void; reject(error: unknown): void } | null =
			null;
		const deliver = () => {
			if (!waiting) return;
			const next = waiting;
			if (queue.length) {
				waiting = null;
				next.resolve(queue.shift()!);
			} else if (failure) {
				waiting = null;
				next.reject(failure.error);
			}
		};
		const channel: Channel = {
			done: false,
			push(status, value) {
				if (channel.done) return;
				try {
					if (status === YIELDED) queue.push({ done: false, value: decode(value as Encoded) });
					else if (status === RETURNED) {
						channel.done = true;
						queue.push({ done: true, value: decode(value as Encoded) });
					} else if (status === FAILED) {
						channel.done = true;
						failure = { error: options.formatError(value) };
					}
				} catch (error) {
					channel.done = true;
					failure = { error };
				}
				deliver();
				if (channel.done) settled();
			},
			end(error) {
				if (channel.done) return;
				channel.done = true;
				failure = { error };
				deliver();
			}
		};
		open(id, channel);
		let returned = false;
		const iterator: AsyncIterator<unknown> = {
			next() {
				if (returned) return Promise.resolve({ done: true, value: undefined });
				if (queue.length) return Promise.resolve(queue.shift()!);
				if (failure) return Promise.reject(failure.error);
				return new Promise((resolve, reject) => (waiting = { resolve, reject }));
			},
			async return() {
				// The reader leaves: what still comes for it is dropped, and the request ends once
				// nothing else is being waited for.
				returned = true;
				queue.length = 0;
				if (!channel.done) {
					channel.done = true;
					settled();
				}
				return { done: true, value: undefined };
			}
		};
		return { [Symbol.asyncIterator]: () => iterator };
	};

	const endAll = (error: unknown) => {
		if (ended) return;
		ended = { error };
		head?.reject(error ?? new Error('Stream closed before head was received'));
		head = null;
		for (const channel of channels.values()) channel.end(error ?? new Error('Stream closed unexpectedly'));
	};

	const line = (text: string) => {
		if (text.trim() === '') return;
		const value = options.deserialize(JSON.parse(text));
		if (head) {
			const data: Record<string, unknown> = {};
			for (const [key, encoded] of Object.entries(value as Record<string, Encoded>))
				data[key] = decode(encoded);
			head.resolve(data);
			head = null;
			return;
		}
		const [id, status, encoded] = value as Chunk;
		channels.get(id)?.push(status, encoded);
	};

	const pump = async () => {
		const reader = options.from.getReader();
		const onAbort = () => void reader.cancel().catch(() => {});
		options.abortController.signal.addEventListener('abort', onAbort, { once: true });
		const decoder = new TextDecoder();
		let partial = '';
		try {
			for (;;) {
				const { done, value } = await reader.read();
				if (done) break;
				const text = partial + decoder.decode(value, { stream: true });
				let start = 0;
				for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
					line(text.slice(start, end));
					start = end + 1;
				}
				partial = text.slice(start);
			}
			// What follows the last newline is not a line (tRPC's reader drops it too).
			endAll(null);
			settled();
		} catch (error) {
			endAll(error);
		} finally {
			options.abortController.signal.removeEventListener('abort', onAbort);
		}
	};
	void pump();
	return headRead;
}
