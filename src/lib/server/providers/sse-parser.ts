/** One server-sent event, as the provider SDKs' own decoders hand it on. */
export type SseEvent = { event: string | null; data: string };

/**
 * Server-sent events from text as it arrives, read as the OpenAI and Anthropic SDKs read them (their
 * SSEDecoder and LineDecoder): lines end at \n, \r or \r\n, and a byte-order mark opening a line is
 * dropped; a blank line dispatches the event if it has a non-empty `event` or any `data` line; `data`
 * lines are joined with \n; a comment (`:`) and other fields are skipped; one space after the colon
 * is dropped. Text after the last line break waits for the next chunk; at the end of the stream
 * (end()) a \r left waiting still ends its line, and an event with no blank line after it is not
 * dispatched. Pure: push text, get the events it completes.
 */
export class SseParser {
	#rest = '';
	#event: string | null = null;
	#data: string[] = [];

	/** The events the text completes, in order. */
	push(text: string): SseEvent[] {
		const events: SseEvent[] = [];
		const buffer = this.#rest + text;
		let start = 0;
		for (;;) {
			const end = lineEnd(buffer, start);
			if (end === -1) break;
			// A \r as the very last character may be the first half of \r\n: wait for the next chunk.
			if (buffer.charCodeAt(end) === CR && end === buffer.length - 1) break;
			this.#line(buffer.slice(start, end), events);
			start = end + (buffer.charCodeAt(end) === CR && buffer.charCodeAt(end + 1) === LF ? 2 : 1);
		}
		this.#rest = start === 0 ? buffer : buffer.slice(start);
		return events;
	}

	/**
	 * The end of the stream: the events a last \r completes, if one was left waiting. A last line with
	 * no break at all is not read: only a blank line dispatches, and nothing can follow it.
	 */
	end(): SseEvent[] {
		const events: SseEvent[] = [];
		if (this.#rest.endsWith('\r')) this.#line(this.#rest.slice(0, -1), events);
		this.#rest = '';
		return events;
	}

	#line(line: string, events: SseEvent[]): void {
		// Both SDKs decode each line on its own, which drops a byte-order mark at its start.
		if (line.charCodeAt(0) === BOM) line = line.slice(1);
		if (line === '') {
			// An empty `event:` alone dispatches nothing, as in the SDKs.
			if (!this.#event && this.#data.length === 0) return;
			events.push({ event: this.#event, data: this.#data.join('\n') });
			this.#event = null;
			this.#data = [];
			return;
		}
		if (line.charCodeAt(0) === COLON) return;
		const colon = line.indexOf(':');
		const field = colon === -1 ? line : line.slice(0, colon);
		let value = colon === -1 ? '' : line.slice(colon + 1);
		if (value.charCodeAt(0) === SPACE) value = value.slice(1);
		if (field === 'event') this.#event = value;
		else if (field === 'data') this.#data.push(value);
	}
}

const LF = 10;
const CR = 13;
const COLON = 58;
const SPACE = 32;
const BOM = 0xfeff;

/** The index of the next \n or \r at or after `from`, or -1. */
function lineEnd(text: string, from: number): number {
	const lf = text.indexOf('\n', from);
	const cr = text.indexOf('\r', from);
	if (cr === -1) return lf;
	if (lf === -1) return cr;
	return Math.min(lf, cr);
}
