import OpenAI, { APIError } from 'openai';
import { Stream } from 'openai/streaming';
import { describe, expect, it } from 'vitest';
import { openAIChunks } from '$lib/server/providers/openai/openai-chunks';
import { loadFixture } from '../../emulators/fixtures';
import { abortedAfter, cuts, encoder, lineEndings, read, responseOf, streamEnds, type Cut } from './sse-cuts';

/*
 * openAIChunks reads a streamed Chat Completions body itself instead of through the SDK's Stream:
 * here both read the same bytes, cut every way, and must yield the same chunks and fail the same way.
 */

/** Only for the SDK's logger: off, so a stream it cannot parse does not print. */
const quietClient = new OpenAI({ apiKey: 'unused', logLevel: 'off' });

/** What the SDK's own Stream and openAIChunks make of the same bytes, cut the same way. */
async function both(bytes: Uint8Array, cut: Cut) {
	const sdk = await read(Stream.fromSSEResponse(responseOf(cut(bytes)), new AbortController(), quietClient));
	const ours = await read(openAIChunks(responseOf(cut(bytes))));
	return { sdk, ours };
}

/** A recorded stream framed as OpenAI sends it (fixtures README), with the line ending given. */
function openAIWire(eol: string): Uint8Array {
	const events = loadFixture('openai-text-abridged').map((line) => `data: ${line}${eol}${eol}`);
	return encoder.encode(`${events.join('')}data: [DONE]${eol}${eol}`);
}

describe('openAIChunks reads a stream as the SDK does', () => {
	for (const [eolName, eol] of lineEndings) {
		for (const [cutName, cut] of Object.entries(cuts)) {
			it(`the recorded stream, lines ending ${eolName}, cut ${cutName}`, async () => {
				const { sdk, ours } = await both(openAIWire(eol), cut);
				expect(sdk.error).toBeNull();
				expect(sdk.chunks).toHaveLength(13);
				expect(ours).toEqual(sdk);
			});
		}
	}

	it('multi-byte text cut inside a character, comments, other fields, data over several lines, and what follows [DONE], with every line ending', async () => {
		const chunk = (content: string) =>
			JSON.stringify({
				id: 'c',
				object: 'chat.completion.chunk',
				choices: [{ index: 0, delta: { content } }]
			});
		const text = [
			': keep-alive comment\n\n',
			`id: 1\nretry: 100\ndata: ${chunk('Grüße, 世界 🌍')}\n\n`,
			`event: message\ndata: ${chunk('second')}\n\n`,
			`data: {"id":"c","choices":\ndata: [{"index":0,"delta":{"content":"split"}}]}\n\n`,
			'data: [DONE]\n\n',
			`data: ${chunk('after the end')}\n\n`
		].join('');
		for (const eol of ['\n', '\r\n', '\r']) {
			const wire = encoder.encode(text.replaceAll('\n', eol));
			for (const cut of Object.values(cuts)) {
				const { sdk, ours } = await both(wire, cut);
				expect(sdk.error).toBeNull();
				expect(sdk.chunks).toHaveLength(3);
				expect(ours).toEqual(sdk);
			}
		}
	});

	it('a `data` line without a colon is empty data, which is not JSON: both throw there', async () => {
		const wire = encoder.encode('data: {"id":"a","choices":[]}\n\ndata\n\ndata: {"id":"b","choices":[]}\n\n');
		for (const cut of Object.values(cuts)) {
			const { sdk, ours } = await both(wire, cut);
			expect(sdk.chunks).toHaveLength(1);
			expect(sdk.error).toBeInstanceOf(SyntaxError);
			expect(ours.chunks).toEqual(sdk.chunks);
			expect(ours.error).toBeInstanceOf(SyntaxError);
		}
	});

	it('an error in the stream throws APIError carrying it; text that is not JSON throws SyntaxError', async () => {
		const errorWire = encoder.encode(
			`data: {"id":"c","choices":[{"index":0,"delta":{"content":"partial"}}]}\n\n` +
				`data: {"error":{"message":"overloaded","type":"server_error","code":"busy"}}\n\n`
		);
		for (const cut of Object.values(cuts)) {
			const { sdk, ours } = await both(errorWire, cut);
			expect(ours.chunks).toEqual(sdk.chunks);
			expect(ours.error).toBeInstanceOf(APIError);
			expect(ours.error).toMatchObject({
				error: (sdk.error as APIError).error,
				message: (sdk.error as APIError).message
			});
			expect((ours.error as APIError).headers?.get('x-request-id')).toBe('req_1');
		}
		const { sdk, ours } = await both(encoder.encode('data: {not json}\n\n'), cuts.whole);
		expect(sdk.error).toBeInstanceOf(SyntaxError);
		expect(ours.error).toBeInstanceOf(SyntaxError);
	});

	it('a body that ends without [DONE], or inside an event, ends the chunks quietly', async () => {
		const cutShort = encoder.encode(
			'data: {"id":"a","choices":[]}\n\ndata: {"id":"b","choices":[]}\n\ndata: {"id":"never dispatched"}'
		);
		for (const cut of Object.values(cuts)) {
			const { sdk, ours } = await both(cutShort, cut);
			expect(ours).toEqual(sdk);
			expect(ours.chunks).toHaveLength(2);
			expect(ours.error).toBeNull();
		}
	});

	it('every way a stream can end: a last line with or without its break, a lone \\r, \\r\\r', async () => {
		const event = 'data: {"id":"a","choices":[]}';
		// And a last event whose data line ends with a lone \r.
		for (const end of [...streamEnds, 'data: {"id":"b"}\r']) {
			for (const cut of Object.values(cuts)) {
				const { sdk, ours } = await both(
					encoder.encode(`data: {"id":"first","choices":[]}\n\n${event}${end}`),
					cut
				);
				expect(ours, JSON.stringify(end)).toEqual(sdk);
			}
		}
	});

	it('an aborted body ends the chunks quietly, as the SDK does (the caller checks its signal)', async () => {
		const aborted = () => abortedAfter('data: {"id":"a","choices":[]}\n\n');
		const sdk = await read(Stream.fromSSEResponse(aborted(), new AbortController(), quietClient));
		const ours = await read(openAIChunks(aborted()));
		expect(ours).toEqual(sdk);
		expect(ours).toEqual({ chunks: [{ id: 'a', choices: [] }], error: null });
	});

	it('a Response without a body throws as the SDK does', async () => {
		const { error } = await read(openAIChunks(new Response(null)));
		expect((error as Error).message).toBe('Attempted to iterate over a response with no body');
	});
});
