import { describe, expect, it } from 'vitest';
import { shownOn, streamedTo, terminalText } from './terminal-text';

function output(isTTY: boolean) {
	const written: string[] = [];
	return { isTTY, written, write: (chunk: string) => written.push(chunk) };
}

describe('terminalText', () => {
	it('replaces escape sequences, C1 controls, DEL, NUL and a lone CR; keeps line breaks and tabs', () => {
		expect(terminalText('\u001b]52;c;cHduZWQ=\u0007clipboard')).toBe('\uFFFD]52;c;cHduZWQ=\uFFFDclipboard');
		expect(terminalText('a\u001b[2Jb\u009b31mc\u007fd\u0000e')).toBe('a\uFFFD[2Jb\uFFFD31mc\uFFFDd\uFFFDe');
		expect(terminalText('safe\rgone')).toBe('safe\uFFFDgone');
		expect(terminalText('one\r\ntwo\n\tthree')).toBe('one\ntwo\n\tthree');
		expect(terminalText('plain — ünïcode ✓ 😀')).toBe('plain — ünïcode ✓ 😀');
	});
});

describe('shownOn', () => {
	it('cleans text for a terminal and leaves piped output exact', () => {
		expect(shownOn(output(true), 'a\u001b[31mb')).toBe('a\uFFFD[31mb');
		expect(shownOn(output(false), 'a\u001b[31mb')).toBe('a\u001b[31mb');
	});
});

describe('streamedTo', () => {
	it('on a terminal, joins a CR LF split between pieces and replaces a CR that no LF follows', () => {
		const tty = output(true);
		const stream = streamedTo(tty);
		for (const piece of ['line\r', '\nnext\u001b', '[0m\r', 'over', '\r']) stream.write(piece);
		stream.end();
		expect(tty.written.join('')).toBe('line\nnext\uFFFD[0m\uFFFDover\uFFFD');
	});

	it('writes piped pieces exactly as they come', () => {
		const piped = output(false);
		const stream = streamedTo(piped);
		for (const piece of ['a\r', '\nb\u001b[0m']) stream.write(piece);
		stream.end();
		expect(piped.written).toEqual(['a\r', '\nb\u001b[0m']);
	});
});
