/** Every control character (C0, DEL and C1) but the line break and the tab. */
const control = /[^\P{Cc}\n\t]/gu;

/**
 * The text with its control characters, line breaks and tabs aside, shown as U+FFFD: for text from
 * outside (a provider's error, a model's answer) that is stored, logged or printed to a terminal,
 * where a NUL fails a Postgres write and an escape sequence drives the terminal.
 */
export function replaceControlCharacters(text: string): string {
	return text.replace(control, '\uFFFD');
}
