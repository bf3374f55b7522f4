import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { firstTokenWait } from './first-token-wait';

function output(isTTY: boolean) {
	const written: string[] = [];
	return { written, isTTY, write: (chunk: string) => written.push(chunk) };
}

describe('firstTokenWait', () => {
	beforeEach(() => vi.useFakeTimers());
	afterEach(() => vi.useRealTimers());

	it('says nothing for the first seconds, then who is awaited and for how long, rewriting its line', () => {
		const stderr = output(true);
		const wait = firstTokenWait(stderr);
		wait.answering('openai', 'gpt-4.1-mini');
		vi.advanceTimersByTime(2_000);
		expect(stderr.written).toEqual([]);
		vi.advanceTimersByTime(2_000);
		expect(stderr.written).toEqual([
			'\r\u001b[2KWaiting for openai/gpt-4.1-mini · 3 s',
			'\r\u001b[2KWaiting for openai/gpt-4.1-mini · 4 s'
		]);
		// A fallback names the provider now awaited.
		wait.answering('anthropic', 'claude-haiku-4-5');
		vi.advanceTimersByTime(1_000);
		expect(stderr.written.at(-1)).toBe('\r\u001b[2KWaiting for anthropic/claude-haiku-4-5 · 5 s');
		// Erased before the answer's text, and silent from then on.
		wait.done();
		expect(stderr.written.at(-1)).toBe('\r\u001b[2K');
		const count = stderr.written.length;
		vi.advanceTimersByTime(5_000);
		wait.done();
		expect(stderr.written).toHaveLength(count);
	});

	it('erases nothing when the text came in time', () => {
		const stderr = output(true);
		const wait = firstTokenWait(stderr);
		vi.advanceTimersByTime(1_000);
		wait.done();
		vi.advanceTimersByTime(10_000);
		expect(stderr.written).toEqual([]);
	});

	it('writes nothing off a terminal: piped stderr stays the usage line alone', () => {
		const stderr = output(false);
		const wait = firstTokenWait(stderr);
		vi.advanceTimersByTime(10_000);
		wait.done();
		expect(stderr.written).toEqual([]);
	});
});
