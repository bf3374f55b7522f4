import type { ChatRequest, Usage } from './types';

/**
 * A rough token count (about four characters per token in English) for when a provider reports
 * nothing, e.g. a stream that was stopped. Usage built from it is marked `estimated`.
 */
export function estimateTokens(text: string): number {
	return text.length === 0 ? 0 : Math.ceil(text.length / 4);
}

/** Text only: an image's tokens come from the provider's usage figures, never from a guess here. */
export function estimateInputTokens(request: {
	system?: string;
	messages: readonly Pick<ChatRequest['messages'][number], 'content'>[];
}): number {
	// A few tokens of framing per message, as the chat templates add them.
	const framing = request.messages.length * 4;
	const text = (request.system ?? '') + request.messages.map((m) => m.content).join('');
	return estimateTokens(text) + framing;
}

export function estimateUsage(request: Pick<ChatRequest, 'system' | 'messages'>, outputText: string): Usage {
	return {
		inputTokens: estimateInputTokens(request),
		outputTokens: estimateTokens(outputText),
		estimated: true
	};
}
