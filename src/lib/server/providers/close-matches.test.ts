import { describe, expect, it } from 'vitest';
import { closeMatches, didYouMean, editDistance } from './close-matches';

describe('close matches', () => {
	it('measures edit distance', () => {
		expect(editDistance('kitten', 'sitting')).toBe(3);
		expect(editDistance('', 'abc')).toBe(3);
	});

	it('suggests typos, prefixes and substrings, not unrelated ids', () => {
		const ids = ['gpt-4.1-mini', 'gpt-4.1-nano', 'gpt-4o', 'claude-sonnet-4-5'];
		expect(closeMatches('gpt-4.1-mnii', ids)[0]).toBe('gpt-4.1-mini');
		expect(closeMatches('gpt-4.1', ids)).toEqual(expect.arrayContaining(['gpt-4.1-mini', 'gpt-4.1-nano']));
		expect(closeMatches('llama3', ids)).toEqual([]);
		expect(didYouMean('claude-sonet-4-5', ids)).toBe(' Did you mean "claude-sonnet-4-5"?');
		expect(didYouMean('zzz', ids)).toBe('');
	});
});
