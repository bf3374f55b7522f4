import type { FinishReason } from '../schemas/common';
import type { ErrorEvent, FallbackEvent, StreamEvent, StreamUsage } from '../schemas/stream-events';

/** What a watcher knows about one generation after the events seen so far. */
export type RunState = {
	messageId: string | null;
	text: string;
	/** Who is answering: the last `start`, moved on by each `fallback`. */
	providerId: string | null;
	modelId: string | null;
	fallbacks: FallbackEvent[];
	end:
		| null
		| { type: 'done'; finishReason: FinishReason; usage: StreamUsage }
		| { type: 'error'; error: ErrorEvent['error'] };
};

export const initialRunState: RunState = {
	messageId: null,
	text: '',
	providerId: null,
	modelId: null,
	fallbacks: [],
	end: null
};

/**
 * Folds one event into the state. Pure, so the result of a run is a plain reduction of its events.
 * Events after the end are ignored: the stream is over once `done` or `error` arrived.
 */
export function applyEvent(state: RunState, event: StreamEvent): RunState {
	if (state.end) return state;
	switch (event.type) {
		case 'start':
			return { ...state, messageId: event.messageId, providerId: event.providerId, modelId: event.modelId };
		case 'delta':
			return { ...state, text: state.text + event.text };
		case 'fallback':
			return {
				...state,
				providerId: event.to.providerId,
				modelId: event.to.modelId,
				fallbacks: [...state.fallbacks, event]
			};
		case 'done':
			return { ...state, end: { type: 'done', finishReason: event.finishReason, usage: event.usage } };
		case 'error':
			return { ...state, end: { type: 'error', error: event.error } };
	}
}

export function isTerminal(event: StreamEvent): boolean {
	return event.type === 'done' || event.type === 'error';
}
