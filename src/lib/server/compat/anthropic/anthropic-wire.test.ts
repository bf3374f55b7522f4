import { describe, expect, it } from 'vitest';
import { CompatError } from '../compat-error';
import { anthropicErrorReply } from './format-error';
import { toResponse } from '../reply';
import { formatEvents } from './format-events';
import { parseCountTokensRequest, parseMessagesRequest } from './parse-request';

function refusal(body: unknown): CompatError {
	try {
		parseMessagesRequest(body);
	} catch (error) {
		if (error instanceof CompatError) return error;
		throw error;
	}
	throw new Error('parsed');
}

describe('parseMessagesRequest', () => {
	it('takes the top-level system, text blocks, stop sequences and sampling', () => {
		expect(
			parseMessagesRequest({
				model: 'claude-sonnet-5-5',
				system: [{ type: 'text', text: 'Be brief' }],
				messages: [
					{ role: 'user', content: [{ type: 'text', text: 'Hi' }] },
					{ role: 'assistant', content: 'Hello' }
				],
				max_tokens: 20,
				temperature: 0.5,
				top_p: 0.9,
				stop_sequences: ['END'],
				metadata: { user_id: 'u' }
			})
		).toEqual({
			model: 'claude-sonnet-5-5',
			stream: false,
			input: {
				system: 'Be brief',
				messages: [
					{ role: 'user', content: 'Hi' },
					{ role: 'assistant', content: 'Hello' }
				],
				maxTokens: 20,
				temperature: 0.5,
				topP: 0.9,
				stop: ['END']
			}
		});
	});

	it('refuses what the engine cannot honour, naming the field', () => {
		const hi = [{ role: 'user', content: 'Hi' }];
		expect(refusal({ model: 'm', messages: hi }).param).toBe('max_tokens');
		expect(refusal({ model: 'm', messages: hi, max_tokens: 5, temperature: 1.5 }).param).toBe('temperature');
		expect(
			refusal({
				model: 'm',
				max_tokens: 5,
				messages: [{ role: 'user', content: [{ type: 'document' }] }]
			}).param
		).toBe('messages[0].content[0].type');
		expect(refusal({ model: 'm', max_tokens: 5, messages: [{ role: 'system', content: 'x' }] }).param).toBe(
			'messages[0].role'
		);
	});

	it('count_tokens needs no max_tokens', () => {
		expect(parseCountTokensRequest({ model: 'm', messages: [{ role: 'user', content: 'Hi' }] })).toEqual({
			model: 'm',
			messages: [{ role: 'user', content: 'Hi' }]
		});
	});
});

describe('formatEvents', () => {
	const meta = { id: 'msg_1', model: 'openai/gpt-4.1-mini' };

	it('opens the message and its text block, then deltas, then stop, delta with usage and message_stop', () => {
		const state = { started: false };
		const names = (events: Iterable<{ event: string }>) => [...events].map((e) => e.event);
		expect(names(formatEvents(meta, { type: 'delta', text: 'Hi' }, state))).toEqual([
			'message_start',
			'content_block_start',
			'content_block_delta'
		]);
		const end = [
			...formatEvents(
				meta,
				{
					type: 'done',
					finishReason: 'length',
					usage: {
						inputTokens: 3,
						outputTokens: 1,
						cacheReadTokens: 0,
						cacheWriteTokens: 0,
						costUsd: null,
						estimated: false
					}
				},
				state
			)
		];
		expect(end.map((e) => e.event)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
		expect(end[1].data).toMatchObject({
			delta: { stop_reason: 'max_tokens' },
			usage: { input_tokens: 3, output_tokens: 1 }
		});
	});

	it('reports a failure after the first token as an error event', () => {
		const [error] = formatEvents(
			meta,
			{
				type: 'error',
				error: { code: 'overloaded', message: 'Busy', retryable: true, providerId: 'anthropic' }
			},
			{ started: true }
		);
		expect(error).toEqual({
			event: 'error',
			data: { type: 'error', error: { type: 'overloaded_error', message: 'Busy' } }
		});
	});
});

describe('Anthropic errors', () => {
	it('answers with its status, shape and retry-after', async () => {
		const response = toResponse(
			anthropicErrorReply(new CompatError('rate_limit', 'Wait', { retryAfterMs: 2500 }))
		);
		expect(response.status).toBe(429);
		expect(response.headers.get('retry-after')).toBe('3');
		expect(await response.json()).toEqual({
			type: 'error',
			error: { type: 'rate_limit_error', message: 'Wait' }
		});
	});
});
