import type { FinishReason } from '$lib/schemas/common';
import type { StreamUsage } from '$lib/schemas/stream-events';
import type { CollectedAnswer } from '../run-generation';

export type AnthropicStopReason = 'end_turn' | 'max_tokens' | 'refusal';

/**
 * The engine's finish reason in Anthropic's terms. The engine folds `stop_sequence` into `stop`, so a
 * stop sequence reads as `end_turn` here.
 */
export function toAnthropicStopReason(reason: FinishReason): AnthropicStopReason {
	if (reason === 'length') return 'max_tokens';
	if (reason === 'content_filter') return 'refusal';
	return 'end_turn';
}

/** Anthropic's input_tokens leave out the cache's tokens, which it reports apart. */
export const toAnthropicUsage = (usage: StreamUsage) => ({
	input_tokens: Math.max(0, usage.inputTokens - usage.cacheReadTokens - usage.cacheWriteTokens),
	cache_creation_input_tokens: usage.cacheWriteTokens,
	cache_read_input_tokens: usage.cacheReadTokens,
	output_tokens: usage.outputTokens
});

export type MessageMeta = { id: string; model: string };

/** A finished answer as a Messages API `message`. Pure. */
export function formatMessage(meta: MessageMeta, answer: CollectedAnswer) {
	return {
		id: meta.id,
		type: 'message' as const,
		role: 'assistant' as const,
		model: meta.model,
		content: [{ type: 'text' as const, text: answer.text }],
		stop_reason: toAnthropicStopReason(answer.finishReason),
		stop_sequence: null,
		usage: toAnthropicUsage(answer.usage)
	};
}
