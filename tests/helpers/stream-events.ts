import type { StreamEvent, StreamUsage } from '../../src/lib/schemas/stream-events';

/** A `done` event as a provider that reported its usage ends: 1 in, 2 out unless a test says otherwise. */
export function doneEvent(usage: Partial<StreamUsage> = {}): Extract<StreamEvent, { type: 'done' }> {
	return {
		type: 'done',
		finishReason: 'stop',
		usage: {
			inputTokens: 1,
			outputTokens: 2,
			cacheReadTokens: 0,
			cacheWriteTokens: 0,
			costUsd: null,
			estimated: false,
			...usage
		}
	};
}
