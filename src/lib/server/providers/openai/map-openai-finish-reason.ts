import type { FinishReason } from '../types';

/** Chat Completions finish_reason -> the one vocabulary. Pure. */
export function mapOpenAIFinishReason(reason: string | null | undefined): FinishReason {
	switch (reason) {
		case 'length':
			return 'length';
		case 'content_filter':
			return 'content_filter';
		case null:
		case undefined:
			return 'error';
		default:
			// stop, tool_calls, function_call: the model finished its turn.
			return 'stop';
	}
}
