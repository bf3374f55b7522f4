import { estimateInputTokens, estimateTokens } from '$lib/schemas/estimate';
import type { ChatRequest, Usage } from './types';

/** The estimate rules are shared with the UI's running figures (see $lib/schemas/estimate.ts). */
export { estimateInputTokens, estimateTokens };

export function estimateUsage(request: Pick<ChatRequest, 'system' | 'messages'>, outputText: string): Usage {
	return {
		inputTokens: estimateInputTokens(request),
		outputTokens: estimateTokens(outputText),
		cacheReadTokens: 0,
		cacheWriteTokens: 0,
		estimated: true
	};
}
