/*
 * Helpers for the tests that hold our SSE readers (openai-chunks.ts, anthropic-events.ts) to the
 * SDKs' own Stream: the same bytes, cut the same ways, read by both.
 */

export const encoder = new TextEncoder();

/** A Response whose body arrives in exactly these pieces. */
export function responseOf(pieces: Uint8Array[]): Response {
	let i = 0;
	const body = new ReadableStream<Uint8Array>({
		pull(controller) {
			if (i < pieces.length) controller.enqueue(pieces[i++]);
			else controller.close();
		}
	});
	return new Response(body, { headers: { 'content-type': 'text/event-stream', 'x-request-id': 'req_1' } });
}

/** A Response whose body gives `text`, then fails as an aborted fetch's does. */
export function abortedAfter(text: string): Response {
	let sent = false;
	return new Response(
		new ReadableStream<Uint8Array>({
			pull(controller) {
				if (sent) return controller.error(new DOMException('stopped', 'AbortError'));
				sent = true;
				controller.enqueue(encoder.encode(text));
			}
		})
	);
}

export type Outcome = { chunks: unknown[]; error: unknown };

/** Everything an iterable yields, and how it ended. */
export async function read(iterable: AsyncIterable<unknown>): Promise<Outcome> {
	const chunks: unknown[] = [];
	try {
		for await (const chunk of iterable) chunks.push(chunk);
		return { chunks, error: null };
	} catch (error) {
		return { chunks, error };
	}
}

export type Cut = (bytes: Uint8Array) => Uint8Array[];

const whole: Cut = (bytes) => [bytes];
const byteByByte: Cut = (bytes) => Array.from(bytes, (b) => Uint8Array.of(b));
/** Pieces of 1-40 bytes from a fixed-seed generator: the same cuts on every run. */
function randomly(seed: number): Cut {
	return (bytes) => {
		let state = seed;
		const pieces: Uint8Array[] = [];
		for (let at = 0; at < bytes.length;) {
			state = (state * 1103515245 + 12345) % 2 ** 31;
			const size = 1 + (state % 40);
			pieces.push(bytes.subarray(at, at + size));
			at += size;
		}
		return pieces;
	};
}
export const cuts: Record<string, Cut> = { whole, byteByByte, random7: randomly(7), random42: randomly(42) };

/** The line endings SSE allows. */
export const lineEndings = [
	['\\n', '\n'],
	['\\r\\n', '\r\n'],
	['\\r', '\r']
] as const;

/**
 * What may follow a stream's last event: nothing, each line ending and pair of them (a last line with or
 * without its break, a lone \r, \r\r), or a trailing comment.
 */
export const streamEnds = ['', '\n', '\r', '\r\n', '\n\n', '\r\r', '\r\n\r', '\n\r', ':comment'] as const;
