import { describe, expect, it } from 'vitest';
import { estimateTokens, estimateUsage } from './estimate-tokens';

describe('estimateTokens', () => {
	it('counts about four characters per token, rounding up', () => {
		expect(estimateTokens('')).toBe(0);
		expect(estimateTokens('abc')).toBe(1);
		expect(estimateTokens('abcdefghi')).toBe(3);
	});

	it('marks usage built from it as estimated and counts the prompt with framing', () => {
		const usage = estimateUsage(
			{ system: 'abcd', messages: [{ role: 'user', content: 'efgh' }] },
			'abcdefgh'
		);
		expect(usage).toEqual({
			inputTokens: 2 + 4,
			outputTokens: 2,
			cacheReadTokens: 0,
			cacheWriteTokens: 0,
			estimated: true
		});
	});
});
