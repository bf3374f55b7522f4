import type { Usage } from '../types';

/** The usage fields of `message_start`, `message_delta` and a whole message, as the API sends them. */
export type AnthropicUsageFields = {
	input_tokens?: number | null;
	output_tokens?: number | null;
	cache_read_input_tokens?: number | null;
	cache_creation_input_tokens?: number | null;
};

export type AnthropicCounts = {
	input: number;
	output: number;
	cacheRead: number;
	cacheWrite: number;
};

export const noAnthropicCounts: AnthropicCounts = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };

/**
 * A stream's figures so far, updated by one event's usage. `message_delta` repeats the figures
 * cumulatively (and may revise input), so a field it sends wins and a field it leaves out or
 * sends as null keeps what `message_start` said. Pure.
 */
export function mergeAnthropicUsage(current: AnthropicCounts, update: AnthropicUsageFields): AnthropicCounts {
	return {
		input: update.input_tokens ?? current.input,
		output: update.output_tokens ?? current.output,
		cacheRead: update.cache_read_input_tokens ?? current.cacheRead,
		cacheWrite: update.cache_creation_input_tokens ?? current.cacheWrite
	};
}

/**
 * Anthropic's `input_tokens` leaves out the tokens read from and written to the cache (the total is
 * the sum of the three); Switchboard's `inputTokens` is that total, with the cache figures inside it.
 */
export function toUsageFromAnthropic(counts: AnthropicCounts): Usage {
	return {
		inputTokens: counts.input + counts.cacheRead + counts.cacheWrite,
		outputTokens: counts.output,
		cacheReadTokens: counts.cacheRead,
		cacheWriteTokens: counts.cacheWrite,
		estimated: false
	};
}
