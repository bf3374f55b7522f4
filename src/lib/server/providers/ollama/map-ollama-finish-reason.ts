import type { FinishReason } from '../types';

/** /api/chat done_reason -> the one vocabulary. Pure. */
export function mapOllamaFinishReason(reason: string | null | undefined): FinishReason {
	// A final `done: true` line with no reason (older servers) still finished normally.
	return reason === 'length' ? 'length' : 'stop';
}
