import type { FinishReason } from '$lib/schemas/common';
import type { StreamUsage } from '$lib/schemas/stream-events';
import type { CollectedAnswer } from '../run-generation';

export type OpenAIFinishReason = 'stop' | 'length' | 'content_filter';

/** The engine's finish reason in OpenAI's terms (errors and stops never reach a finished answer). */
export function toOpenAIFinishReason(reason: FinishReason): OpenAIFinishReason {
	return reason === 'length' || reason === 'content_filter' ? reason : 'stop';
}

/** OpenAI counts cached tokens inside prompt_tokens, as the engine does; cache writes have no field there. */
export function toOpenAIUsage(usage: StreamUsage) {
	return {
		prompt_tokens: usage.inputTokens,
		completion_tokens: usage.outputTokens,
		total_tokens: usage.inputTokens + usage.outputTokens,
		prompt_tokens_details: { cached_tokens: usage.cacheReadTokens }
	};
}

export type CompletionMeta = { id: string; created: number; model: string };

/** A finished answer as a `chat.completion` object. Pure. */
export function formatChatCompletion(meta: CompletionMeta, answer: CollectedAnswer) {
	return {
		id: meta.id,
		object: 'chat.completion' as const,
		created: meta.created,
		model: meta.model,
		choices: [
			{
				index: 0,
				message: { role: 'assistant' as const, content: answer.text, refusal: null },
				logprobs: null,
				finish_reason: toOpenAIFinishReason(answer.finishReason)
			}
		],
		usage: toOpenAIUsage(answer.usage),
		system_fingerprint: null
	};
}
