import type { FinishReason } from '../types';

/** Messages API stop_reason -> the one vocabulary. Pure. */
export function mapAnthropicFinishReason(reason: string | null | undefined): FinishReason {
	switch (reason) {
		case 'max_tokens':
		case 'model_context_window_exceeded':
			return 'length';
		case 'refusal':
			return 'content_filter';
		case null:
		case undefined:
			return 'error';
		default:
			// end_turn, stop_sequence, tool_use, pause_turn: the model finished its turn.
			return 'stop';
	}
}
