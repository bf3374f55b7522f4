import { describe, expect, it } from 'vitest';
import { toUsageFromOpenAI } from './map-openai-usage';

describe('toUsageFromOpenAI', () => {
	it('keeps cached tokens inside prompt_tokens and names how many were cached', () => {
		expect(
			toUsageFromOpenAI({
				prompt_tokens: 2006,
				completion_tokens: 300,
				prompt_tokens_details: { cached_tokens: 1920 }
			})
		).toEqual({
			inputTokens: 2006,
			outputTokens: 300,
			cacheReadTokens: 1920,
			cacheWriteTokens: 0,
			estimated: false
		});
	});

	it('reads a server without details (or with null) as nothing cached', () => {
		expect(toUsageFromOpenAI({ prompt_tokens: 16, completion_tokens: 3 })?.cacheReadTokens).toBe(0);
		expect(
			toUsageFromOpenAI({ prompt_tokens: 16, completion_tokens: 3, prompt_tokens_details: null })
				?.cacheReadTokens
		).toBe(0);
	});

	it('never counts more cached tokens than prompt tokens', () => {
		expect(
			toUsageFromOpenAI({
				prompt_tokens: 10,
				completion_tokens: 1,
				prompt_tokens_details: { cached_tokens: 64 }
			})?.cacheReadTokens
		).toBe(10);
	});

	it('is undefined without usage', () => {
		expect(toUsageFromOpenAI(null)).toBeUndefined();
	});
});
