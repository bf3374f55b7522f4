import { isAbortError, isAsyncIterable, isPromise } from '@trpc/server/unstable-core-do-not-import';
import {
	ASYNC_ITERABLE,
	FAILED,
	FULFILLED,
	PROMISE,
	REJECTED,
	RETURNED,
	YIELDED
} from '$lib/schemas/jsonl-format';
import { pacedReader, PING } from './paced-results';

/*
 * tRPC's JSON-lines answer (what httpBatchStreamLink reads) to a batch of one call, produced as plain
 * strings: the bytes its fetch adapter writes (resolveResponse's jsonlStreamProducer), without the
 * web streams it passes every line through. Written for the calls whose data is a plain object with
 * one async iterable in it (a start with its events, watched-start.ts), or plain data.
 * jsonl-lines.test.ts holds the two side by side, byte for byte.
 *
 * tRPC numbers the async values in the order it meets them: the call (0), its `result` (1), the
 * result's `data` (2), then the iterable inside the data (3). A placeholder (0) stands where each
 * goes, and `[key, kind, id]` says what comes under that id.
 */

export type JsonlOptions = {
	/** The router's transformer (superjson), applied to every line as tRPC does. */
	serialize(value: unknown): unknown;
	/** The error's shape as the router's error formatter makes it (an iterable that throws). */
	formatError(error: unknown): unknown;
	/** A space after this long without a line (tRPC's `jsonl.pingMs`); none without. */
	pingMs?: number;
};

/** The call's outcome: its data, or its error's shape. */
export type JsonlOutcome = { ok: true; data: unknown } | { ok: false; error: unknown };

const CALL = 0;
const RESULT = 1;
const DATA = 2;
const ITERABLE = 3;
const PLACEHOLDER = 0;

type Encoded = { value: unknown[]; iterable: AsyncIterable<unknown> | null };

function isPlainObject(value: unknown): value is Record<string, unknown> {
	if (typeof value !== 'object' || value === null) return false;
	const prototype = Object.getPrototypeOf(value);
	return prototype === null || prototype === Object.prototype;
}

/** The data as tRPC encodes it, or null when it holds more than this module writes (see above). */
function encodeData(data: unknown): Encoded | null {
	if (data === undefined) return { value: [[]], iterable: null };
	if (isPromise(data)) return null;
	if (isAsyncIterable(data))
		return { value: [[PLACEHOLDER], [null, ASYNC_ITERABLE, ITERABLE]], iterable: data };
	if (!isPlainObject(data)) return { value: [[data]], iterable: null };
	const copy: Record<string, unknown> = {};
	let found: { key: string; iterable: AsyncIterable<unknown> } | null = null;
	for (const [key, item] of Object.entries(data)) {
		if (isPromise(item) || (found && isAsyncIterable(item))) return null;
		if (isAsyncIterable(item)) {
			found = { key, iterable: item };
			copy[key] = PLACEHOLDER;
		} else copy[key] = item;
	}
	return found
		? { value: [[copy], [found.key, ASYNC_ITERABLE, ITERABLE]], iterable: found.iterable }
		: { value: [[copy]], iterable: null };
}

/** A value an iterable yields or returns, as tRPC encodes one with nothing async inside. */
function encodeValue(value: unknown): unknown[] | null {
	if (value === undefined) return [[]];
	if (isPromise(value) || isAsyncIterable(value)) return null;
	if (isPlainObject(value)) {
		// A plain object has no enumerable keys but its own: no array of its values per delta.
		for (const key in value) if (isPromise(value[key]) || isAsyncIterable(value[key])) return null;
	}
	return [[value]];
}

/**
 * The answer's lines: the head and the call's lines at once, then one line per value of the iterable
 * in its data (a space as a ping after each quiet interval). Ending them early ends the iterable.
 */
export async function* jsonlLines(outcome: JsonlOutcome, options: JsonlOptions): AsyncGenerator<string> {
	const line = (chunk: unknown) => `${JSON.stringify(options.serialize(chunk))}\n`;
	// Everything known now goes in one piece (one write to the socket): the head and the call's lines.
	let known = line({ 0: [[PLACEHOLDER], [null, PROMISE, CALL]] });
	if (!outcome.ok) {
		yield known + line([CALL, FULFILLED, [[{ error: outcome.error }]]]);
		return;
	}
	known += line([CALL, FULFILLED, [[{ result: PLACEHOLDER }], ['result', PROMISE, RESULT]]]);
	known += line([RESULT, FULFILLED, [[{ data: PLACEHOLDER }], ['data', PROMISE, DATA]]]);
	const encoded = encodeData(outcome.data);
	if (!encoded) {
		yield known + line([DATA, REJECTED, options.formatError(new Error('This answer cannot be streamed.'))]);
		return;
	}
	yield known + line([DATA, FULFILLED, encoded.value]);
	if (!encoded.iterable) return;
	// The iterable's lines from here, not from a generator of their own: each delegated value cost
	// another resumption and promise on every delta.
	const reader = pacedReader(encoded.iterable, options.pingMs);
	try {
		for (;;) {
			const next = await reader.next();
			if (next === PING) {
				yield ' ';
				continue;
			}
			const value = encodeValue(next.value);
			if (!value) throw new Error('This answer cannot be streamed.');
			yield line([ITERABLE, next.done ? RETURNED : YIELDED, value]);
			if (next.done) return;
		}
	} catch (error) {
		// The client left: nothing reads what would follow.
		if (isAbortError(error)) return;
		yield line([ITERABLE, FAILED, options.formatError(error)]);
	} finally {
		await reader.close();
	}
}
