import type { Usage } from '../types';

/** The usage object of a Chat Completions response or of a stream's last chunk. */
export type OpenAIUsage =
	| {
			prompt_tokens: number;
			completion_tokens: number;
			prompt_tokens_details?: { cached_tokens?: number | null } | null;
	  }
	| null
	| undefined;

/**
 * OpenAI counts cached tokens inside `prompt_tokens` (`prompt_tokens_details.cached_tokens` says how
 * many), which is Switchboard's vocabulary already. It reports no cache writes: they cost nothing
 * extra there. Undefined when the response carried no usage. Pure.
 */
export function toUsageFromOpenAI(usage: OpenAIUsage): Usage | undefined {
	if (!usage) return undefined;
	const cached = usage.prompt_tokens_details?.cached_tokens ?? 0;
	return {
		inputTokens: usage.prompt_tokens,
		outputTokens: usage.completion_tokens,
		// A server that claims more cached tokens than prompt tokens is clamped, so no price goes negative.
		cacheReadTokens: Math.min(Math.max(cached, 0), usage.prompt_tokens),
		cacheWriteTokens: 0,
		estimated: false
	};
}
