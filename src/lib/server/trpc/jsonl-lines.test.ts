import { TRPCError } from '@trpc/server';
import { jsonlStreamProducer } from '@trpc/server/unstable-core-do-not-import';
import superjson from 'superjson';
import { describe, expect, it } from 'vitest';
import { jsonlLines, type JsonlOptions, type JsonlOutcome } from './jsonl-lines';

const options: JsonlOptions = {
	serialize: (value) => superjson.serialize(value),
	formatError: (error) => ({ message: (error as Error).message })
};

/**
 * The same outcome through tRPC's own producer, fed as its fetch adapter feeds it for a batch of one
 * (resolveResponse: the call, its `result`, the result's `data`, each a promise), and through jsonlLines.
 */
async function both(outcome: () => JsonlOutcome) {
	const theirs = await new Response(
		jsonlStreamProducer({
			maxDepth: Infinity,
			data: [
				(async () => {
					const settled = outcome();
					return settled.ok
						? { result: Promise.resolve({ data: Promise.resolve(settled.data) }) }
						: { error: settled.error };
				})()
			],
			serialize: options.serialize,
			formatError: ({ error }) => options.formatError(error)
		})
	).text();
	let ours = '';
	for await (const line of jsonlLines(outcome(), options)) ours += line;
	return { theirs, ours };
}

const events = async function* () {
	yield { id: '1', data: { type: 'start', messageId: 'm', providerId: 'openai', modelId: 'gpt' } };
	yield { id: '2', data: { type: 'delta', text: 'Hé "quoted"\nline' } };
	yield { id: '3', data: { type: 'done', at: new Date(0), usage: { costUsd: null } } };
};

describe("jsonlLines writes tRPC's JSON-lines bytes for a batch of one", () => {
	it('for a start with its events: the ids, then one line per event, then the end', async () => {
		const { theirs, ours } = await both(() => ({
			ok: true,
			data: { chatId: 'c', userMessageId: 'u', assistantMessageId: 'a', events: events() }
		}));
		expect(ours).toBe(theirs);
		expect(ours.split('\n')).toHaveLength(9);
		expect(ours).toContain('"text":"Hé \\"quoted\\"\\nline"');
	});

	it('for plain data, none, and a bare iterable', async () => {
		for (const data of [{ id: 'x', at: new Date(1) }, 'text', [1, 2], null, undefined]) {
			const { theirs, ours } = await both(() => ({ ok: true, data }));
			expect(ours).toBe(theirs);
		}
		const bare = await both(() => ({ ok: true, data: events() }));
		expect(bare.ours).toBe(bare.theirs);
	});

	it("for a refused call: the error's shape in the call's line", async () => {
		const { theirs, ours } = await both(() => ({
			ok: false,
			error: { message: 'Budget reached', code: -32029, data: { code: 'TOO_MANY_REQUESTS', budget: null } }
		}));
		expect(ours).toBe(theirs);
		expect(ours.trim().split('\n')).toHaveLength(2);
	});

	it('for events that fail after a start, and at once', async () => {
		const late = await both(() => ({
			ok: true,
			data: {
				generationId: 'g',
				events: (async function* () {
					yield { id: '1', data: 'a' };
					throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Your session ended.' });
				})()
			}
		}));
		expect(late.ours).toBe(late.theirs);
		expect(late.ours).toContain('Your session ended.');
		const early = await both(() => ({
			ok: true,
			data: {
				events: { [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new Error('refused')) }) }
			}
		}));
		expect(early.ours).toBe(early.theirs);
	});

	it('writes a space after each quiet interval, and ends the events when the lines are left early', async () => {
		let ended = false;
		const slow = (async function* () {
			try {
				yield { id: '1', data: 'a' };
				await new Promise((resolve) => setTimeout(resolve, 60));
				yield { id: '2', data: 'b' };
				await new Promise(() => {});
			} finally {
				ended = true;
			}
		})();
		const lines = jsonlLines({ ok: true, data: { events: slow } }, { ...options, pingMs: 20 });
		const seen: string[] = [];
		for await (const line of lines) {
			seen.push(line);
			if (line.includes('"b"')) break;
		}
		expect(seen.filter((line) => line !== ' ').every((line) => line.endsWith('\n'))).toBe(true);
		expect(seen.filter((line) => line === ' ').length).toBeGreaterThanOrEqual(1);
		expect(ended).toBe(true);
	});

	it('refuses data it does not write as tRPC would (two iterables, a promise), in a line of its own', async () => {
		let out = '';
		for await (const line of jsonlLines({ ok: true, data: { a: events(), b: events() } }, options))
			out += line;
		expect(out).toContain('This answer cannot be streamed.');
		out = '';
		for await (const line of jsonlLines({ ok: true, data: { a: Promise.resolve(1) } }, options)) out += line;
		expect(out).toContain('This answer cannot be streamed.');
	});
});
