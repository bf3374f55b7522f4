import { replaceControlCharacters } from '../lib/control-characters';
import type { Output } from './io';

/*
 * Text from the server shown on a terminal: a model's answer, a chat's title, a name another user
 * chose. A terminal obeys the control characters in what it prints, and a model steered by a prompt
 * injection can answer with escape sequences that rewrite what is on screen, set the clipboard,
 * retitle the window or plant links. On a terminal they are shown as U+FFFD; piped or redirected
 * output keeps the exact text (a file, a script, `--json`).
 */

/** The text with its control characters (C0, DEL and C1) replaced by U+FFFD; CR LF becomes LF. */
export function terminalText(text: string): string {
	return replaceControlCharacters(text.replaceAll('\r\n', '\n'));
}

/** `text` as it may be written to `output`: cleaned for a terminal, exact otherwise. */
export function shownOn(output: Output, text: string): string {
	return output.isTTY ? terminalText(text) : text;
}

/**
 * A streamed text written to `output` piece by piece, cleaned as `shownOn` cleans it. A CR that ends
 * a piece waits for the next one, where a LF may follow it.
 */
export function streamedTo(output: Output): { write(text: string): void; end(): void } {
	if (!output.isTTY) return { write: (text) => void output.write(text), end: () => {} };
	let held = '';
	return {
		write(text) {
			const whole = held + text;
			held = whole.endsWith('\r') ? '\r' : '';
			const shown = terminalText(held ? whole.slice(0, -1) : whole);
			if (shown) output.write(shown);
		},
		end() {
			if (held) output.write(terminalText(held));
			held = '';
		}
	};
}
