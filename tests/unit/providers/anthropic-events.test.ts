import Anthropic, { APIError } from '@anthropic-ai/sdk';
import { Stream } from '@anthropic-ai/sdk/streaming';
import { describe, expect, it } from 'vitest';
import { anthropicEvents } from '$lib/server/providers/anthropic/anthropic-events';
import { loadFixture } from '../../emulators/fixtures';
import { abortedAfter, cuts, encoder, lineEndings, read, responseOf, streamEnds, type Cut } from './sse-cuts';

/*
 * anthropicEvents reads a streamed Messages body itself instead of through the SDK's Stream: here
 * both read the same bytes, cut every way, and must yield the same events and fail the same way.
 */

/** Only for the SDK's logger: off, so a stream it cannot parse does not print. */
const quietClient = new Anthropic({ apiKey: 'unused', logLevel: 'off' });

async function both(bytes: Uint8Array, cut: Cut) {
	const sdk = await read(Stream.fromSSEResponse(responseOf(cut(bytes)), new AbortController(), quietClient));
	const ours = await read(anthropicEvents(responseOf(cut(bytes))));
	return { sdk, ours };
}

/** A recorded stream framed as Anthropic sends it (fixtures README), with the line ending given. */
function anthropicWire(name: 'anthropic-text' | 'anthropic-input-tokens-updated', eol: string): Uint8Array {
	const events = loadFixture(name).map(
		(line) => `event: ${(JSON.parse(line) as { type: string }).type}${eol}data: ${line}${eol}${eol}`
	);
	return encoder.encode(events.join(''));
}

describe('anthropicEvents reads a stream as the SDK does', () => {
	for (const name of ['anthropic-text', 'anthropic-input-tokens-updated'] as const) {
		for (const [eolName, eol] of lineEndings) {
			it(`${name}, lines ending ${eolName}, cut every way`, async () => {
				for (const cut of Object.values(cuts)) {
					const { sdk, ours } = await both(anthropicWire(name, eol), cut);
					expect(sdk.error).toBeNull();
					expect(sdk.chunks.length).toBeGreaterThan(4);
					expect(ours).toEqual(sdk);
				}
			});
		}
	}

	it('skips pings, unnamed events and empty data; keeps other names; multi-byte text cut inside a character', async () => {
		const delta = (text: string) =>
			JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } });
		const text = [
			'event: ping\ndata: {"type": "ping"}\n\n',
			`data: ${delta('no event name')}\n\n`,
			'event: content_block_stop\ndata:\n\n',
			`event: content_block_delta\ndata: ${delta('Grüße, 世界 🌍')}\n\n`,
			`: comment\nevent: something_new\ndata: ${delta('new')}\n\n`,
			'event:\n\n',
			`\ufeffevent: content_block_delta\ndata: ${delta('after a byte-order mark')}\n\n`,
			`event: message_stop\ndata: {"type":"message_stop"}`
		].join('');
		for (const [, eol] of lineEndings) {
			for (const cut of Object.values(cuts)) {
				const { sdk, ours } = await both(encoder.encode(text.replaceAll('\n', eol)), cut);
				expect(sdk.error).toBeNull();
				expect(sdk.chunks).toHaveLength(3);
				expect(ours).toEqual(sdk);
			}
		}
	});

	it('an error event throws APIError with its body and type, whether or not the body is JSON', async () => {
		for (const body of [
			'{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}',
			'not json at all'
		]) {
			const wire = encoder.encode(
				`event: message_start\ndata: {"type":"message_start","message":{}}\n\nevent: error\ndata: ${body}\n\n`
			);
			for (const cut of Object.values(cuts)) {
				const { sdk, ours } = await both(wire, cut);
				expect(ours.chunks).toEqual(sdk.chunks);
				expect(ours.error).toBeInstanceOf(APIError);
				const [mine, theirs] = [ours.error as APIError, sdk.error as APIError];
				expect([mine.message, mine.error, mine.type]).toEqual([theirs.message, theirs.error, theirs.type]);
				expect(mine.headers?.get('x-request-id')).toBe('req_1');
			}
		}
		const { sdk, ours } = await both(
			encoder.encode('event: content_block_delta\ndata: {nope}\n\n'),
			cuts.whole
		);
		expect(sdk.error).toBeInstanceOf(SyntaxError);
		expect(ours.error).toBeInstanceOf(SyntaxError);
	});

	it('every way a stream can end', async () => {
		const event = 'event: message_stop\ndata: {"type":"message_stop"}';
		for (const end of streamEnds) {
			for (const cut of Object.values(cuts)) {
				const { sdk, ours } = await both(encoder.encode(`${event}\n\n${event}${end}`), cut);
				expect(ours, JSON.stringify(end)).toEqual(sdk);
			}
		}
	});

	it('an aborted body ends the events quietly, as the SDK does', async () => {
		const aborted = () => abortedAfter('event: message_stop\ndata: {"type":"message_stop"}\n\n');
		const sdk = await read(Stream.fromSSEResponse(aborted(), new AbortController(), quietClient));
		const ours = await read(anthropicEvents(aborted()));
		expect(ours).toEqual(sdk);
		expect(ours).toEqual({ chunks: [{ type: 'message_stop' }], error: null });
	});
});
