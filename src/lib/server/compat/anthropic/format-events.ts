import { providerCompatError } from '../compat-error';
import type { AnswerEvent } from '../run-generation';
import { anthropicErrorBody } from './format-error';
import { toAnthropicStopReason, toAnthropicUsage, type MessageMeta } from './format-response';

export type AnthropicEvent = { event: string; data: unknown };

/**
 * Engine events -> Messages stream events: `message_start` and `content_block_start` before the first
 * text, a `content_block_delta` per delta, then `content_block_stop`, `message_delta` (stop reason and
 * usage, input tokens included since they are only known at the end) and `message_stop`; a failure
 * after the first token is an `error` event. Pure.
 */
export function* formatEvents(
	meta: MessageMeta,
	event: AnswerEvent,
	state: { started: boolean }
): Generator<AnthropicEvent> {
	if (!state.started) {
		state.started = true;
		yield {
			event: 'message_start',
			data: {
				type: 'message_start',
				message: {
					id: meta.id,
					type: 'message',
					role: 'assistant',
					model: meta.model,
					content: [],
					stop_reason: null,
					stop_sequence: null,
					usage: {
						input_tokens: 0,
						cache_creation_input_tokens: 0,
						cache_read_input_tokens: 0,
						output_tokens: 0
					}
				}
			}
		};
		yield {
			event: 'content_block_start',
			data: { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }
		};
	}
	if (event.type === 'delta') {
		yield {
			event: 'content_block_delta',
			data: { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: event.text } }
		};
	} else if (event.type === 'done') {
		yield { event: 'content_block_stop', data: { type: 'content_block_stop', index: 0 } };
		yield {
			event: 'message_delta',
			data: {
				type: 'message_delta',
				delta: { stop_reason: toAnthropicStopReason(event.finishReason), stop_sequence: null },
				usage: toAnthropicUsage(event.usage)
			}
		};
		yield { event: 'message_stop', data: { type: 'message_stop' } };
	} else {
		yield { event: 'error', data: anthropicErrorBody(providerCompatError(event.error)) };
	}
}
