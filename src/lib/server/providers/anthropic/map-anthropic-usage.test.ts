import { describe, expect, it } from 'vitest';
import { mergeAnthropicUsage, noAnthropicCounts, toUsageFromAnthropic } from './map-anthropic-usage';

describe('Anthropic usage', () => {
	it('adds cache reads and writes to input_tokens, and keeps them apart', () => {
		const counts = mergeAnthropicUsage(noAnthropicCounts, {
			input_tokens: 20,
			output_tokens: 1,
			cache_read_input_tokens: 1800,
			cache_creation_input_tokens: 300
		});
		expect(toUsageFromAnthropic(counts)).toEqual({
			inputTokens: 2120,
			outputTokens: 1,
			cacheReadTokens: 1800,
			cacheWriteTokens: 300,
			estimated: false
		});
	});

	it("lets message_delta's figures win and keeps message_start's where the delta sends null", () => {
		const start = mergeAnthropicUsage(noAnthropicCounts, {
			input_tokens: 43,
			output_tokens: 1,
			cache_read_input_tokens: 100,
			cache_creation_input_tokens: 7
		});
		const end = mergeAnthropicUsage(start, {
			input_tokens: 61,
			output_tokens: 2,
			cache_read_input_tokens: null
		});
		expect(end).toEqual({ input: 61, output: 2, cacheRead: 100, cacheWrite: 7 });
	});

	it('reads zeros as zeros (the recorded fixtures carry them so)', () => {
		const counts = mergeAnthropicUsage(noAnthropicCounts, {
			input_tokens: 12,
			output_tokens: 30,
			cache_read_input_tokens: 0,
			cache_creation_input_tokens: 0
		});
		expect(toUsageFromAnthropic(counts)).toMatchObject({
			inputTokens: 12,
			cacheReadTokens: 0,
			cacheWriteTokens: 0
		});
	});
});
