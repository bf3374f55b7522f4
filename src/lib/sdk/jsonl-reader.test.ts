import { TRPCError } from '@trpc/server';
import { jsonlStreamConsumer, jsonlStreamProducer } from '@trpc/server/unstable-core-do-not-import';
import superjson from 'superjson';
import { describe, expect, it } from 'vitest';
import { readJsonLines } from './jsonl-reader';

/** A batch of one as tRPC's fetch adapter answers it: the call, its `result`, the result's `data`. */
async function answerBytes(outcome: () => { data: unknown } | { error: unknown }): Promise<Uint8Array> {
	const stream = jsonlStreamProducer({
		maxDepth: Infinity,
		data: [
			(async () => {
				const settled = outcome();
				return 'data' in settled
					? { result: Promise.resolve({ data: Promise.resolve(settled.data) }) }
					: { error: settled.error };
			})()
		],
		serialize: (value) => superjson.serialize(value),
		formatError: ({ error }) => ({ message: (error as Error).message })
	});
	return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The bytes in pieces of `size` (a multi-byte character may be cut), with a ping after the head. */
function body(answer: Uint8Array, size: number, options: { cutAt?: number; failAt?: number } = {}) {
	const afterHead = answer.indexOf(10) + 1;
	const bytes = new Uint8Array(answer.length + 1);
	bytes.set(answer.subarray(0, afterHead));
	bytes[afterHead] = 32;
	bytes.set(answer.subarray(afterHead), afterHead + 1);
	const end = options.cutAt ?? bytes.length;
	let at = 0;
	return new ReadableStream<Uint8Array>({
		pull(controller) {
			if (options.failAt !== undefined && at >= options.failAt) {
				return controller.error(new Error('the connection broke'));
			}
			if (at >= end) return controller.close();
			controller.enqueue(bytes.slice(at, Math.min(end, at + size)));
			at += size;
		}
	});
}

type Reader = (from: ReadableStream<Uint8Array>, abortController: AbortController) => Promise<unknown>;

/** What a rejected promise or a failed iterable throws, carrying the error's shape. */
class Thrown extends Error {
	constructor(readonly shape: unknown) {
		super('thrown');
	}
}
const formatError = (shape: unknown) => new Thrown(shape);
const ours: Reader = (from, abortController) =>
	readJsonLines({
		from,
		deserialize: (value) => superjson.deserialize(value as never, { inPlace: true }),
		formatError,
		abortController
	});
const theirs: Reader = async (from, abortController) =>
	(
		await jsonlStreamConsumer<Record<string, Promise<unknown>>>({
			from,
			deserialize: (value) => superjson.deserialize(value),
			formatError: ({ error }) => formatError(error),
			abortController
		})
	)[0];

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
	return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

const failure = (error: unknown) => ({
	failed: error instanceof Thrown ? { thrown: error.shape } : error instanceof Error ? error.message : error
});

/** Everything a reader gives: the call's envelope, its data with each iterable read to its end. */
async function transcript(read: Reader, from: ReadableStream<Uint8Array>, stopAfter?: number) {
	const abortController = new AbortController();
	try {
		const head = (await read(from, abortController)) as Record<string, Promise<unknown>>;
		const envelope = (await head[0]) as { result?: Promise<{ data: Promise<unknown> }>; error?: unknown };
		if (!envelope.result) return { envelope };
		const data = await (await envelope.result).data;
		const out: Record<string, unknown> = {};
		for (const [key, value] of Object.entries(data as object)) {
			if (!isAsyncIterable(value)) {
				out[key] = value;
				continue;
			}
			const seen: unknown[] = [];
			try {
				for await (const item of value) {
					seen.push(item);
					if (seen.length === stopAfter) break;
				}
			} catch (error) {
				seen.push(failure(error));
			}
			out[key] = seen;
		}
		// Let an abort that follows the last read happen before it is looked at.
		await new Promise((resolve) => setTimeout(resolve, 0));
		return { data: out, aborted: abortController.signal.aborted };
	} catch (error) {
		return failure(error);
	}
}

async function both(
	bytes: Uint8Array,
	size = 7,
	options: { cutAt?: number; failAt?: number; stopAfter?: number } = {}
) {
	return {
		ours: await transcript(ours, body(bytes, size, options), options.stopAfter),
		theirs: await transcript(theirs, body(bytes, size, options), options.stopAfter)
	};
}

const events = async function* () {
	yield { id: '1', data: { type: 'start', messageId: 'm', providerId: 'openai', modelId: 'gpt' } };
	yield { id: '2', data: { type: 'delta', text: 'Hé "quoted"\nline — 日本語 🎉' } };
	yield { id: '3', data: { type: 'done', at: new Date(0), usage: { costUsd: null } } };
};

describe("readJsonLines reads tRPC's JSON lines as tRPC's own consumer does", () => {
	it('a start with its events, in pieces of any size (characters cut in two, a ping between)', async () => {
		const bytes = await answerBytes(() => ({ data: { chatId: 'c', messageId: 'm', events: events() } }));
		for (const size of [1, 2, 3, 5, 64, bytes.length]) {
			const { ours, theirs } = await both(bytes, size);
			expect(ours).toEqual(theirs);
			expect(ours).toMatchObject({ data: { chatId: 'c', events: [{ id: '1' }, { id: '2' }, { id: '3' }] } });
		}
		const { ours } = await both(bytes);
		const done = (ours as unknown as { data: { events: { data: { at: unknown } }[] } }).data.events[2];
		expect(done.data.at).toEqual(new Date(0));
	});

	it('plain data, and a refused call', async () => {
		for (const data of [{ id: 'x', at: new Date(1) }, 'text', [1, 2], null]) {
			const { ours, theirs } = await both(await answerBytes(() => ({ data })));
			expect(ours).toEqual(theirs);
		}
		const refused = await both(
			await answerBytes(() => ({ error: { message: 'Budget reached', data: { code: 'TOO_MANY_REQUESTS' } } }))
		);
		expect(refused.ours).toEqual(refused.theirs);
		expect(refused.ours).toMatchObject({ envelope: { error: { message: 'Budget reached' } } });
	});

	it('events that fail after a start: the events before, then the formatted error', async () => {
		const bytes = await answerBytes(() => ({
			data: {
				generationId: 'g',
				events: (async function* () {
					yield { id: '1', data: 'a' };
					throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Your session ended.' });
				})()
			}
		}));
		const { ours, theirs } = await both(bytes);
		expect(ours).toEqual(theirs);
		expect(ours).toMatchObject({
			data: { events: [{ id: '1' }, { failed: { thrown: { message: 'Your session ended.' } } }] }
		});
	});

	it('an answer cut short: the events that came, then "Stream closed unexpectedly"', async () => {
		const bytes = await answerBytes(() => ({ data: { events: events() } }));
		const text = new TextDecoder().decode(bytes);
		const cutAt = new TextEncoder().encode(text.slice(0, text.indexOf('"id":"3"'))).length;
		const { ours, theirs } = await both(bytes, 16, { cutAt });
		expect(ours).toEqual(theirs);
		expect(ours).toMatchObject({
			data: { events: [{ id: '1' }, { id: '2' }, { failed: 'Stream closed unexpectedly' }] }
		});
		const early = await both(bytes, 16, { cutAt: 10 });
		expect(early.ours).toEqual(early.theirs);
		expect(early.ours).toEqual({ failed: 'Stream closed before head was received' });
	});

	it("a connection that breaks: the body's error, where the events stop", async () => {
		const bytes = await answerBytes(() => ({ data: { events: events() } }));
		const { ours, theirs } = await both(bytes, 32, { failAt: bytes.length - 40 });
		expect(ours).toEqual(theirs);
		expect(JSON.stringify(ours)).toContain('the connection broke');
	});

	it('ends the request once everything is read, or once the events are left early', async () => {
		const bytes = await answerBytes(() => ({ data: { events: events() } }));
		const all = await both(bytes);
		expect(all.ours).toEqual(all.theirs);
		expect(all.ours).toMatchObject({ aborted: true });
		const left = await both(bytes, 7, { stopAfter: 1 });
		expect(left.ours).toEqual(left.theirs);
		expect(left.ours).toMatchObject({ data: { events: [{ id: '1' }] }, aborted: true });
	});
});
