import { describe, expect, it } from 'vitest';
import { CompatError } from '../compat-error';
import { formatChunks } from './format-chunk';
import { openAIErrorBody, openAIStatus } from './format-error';
import { parseChatCompletionRequest } from './parse-request';

function refusal(body: unknown): CompatError {
	try {
		parseChatCompletionRequest(body);
	} catch (error) {
		if (error instanceof CompatError) return error;
		throw error;
	}
	throw new Error('parsed');
}

const user = { role: 'user', content: 'Hi' };

describe('parseChatCompletionRequest', () => {
	it('gathers system and developer messages, text parts and sampling into the engine input', () => {
		const parsed = parseChatCompletionRequest({
			model: 'gpt-4.1-mini',
			messages: [
				{ role: 'system', content: 'A' },
				{ role: 'developer', content: [{ type: 'text', text: 'B' }] },
				{
					role: 'user',
					content: [
						{ type: 'text', text: 'He' },
						{ type: 'text', text: 'llo' }
					]
				},
				{ role: 'assistant', content: null },
				{ role: 'assistant', content: 'Yes?' }
			],
			max_tokens: 5,
			max_completion_tokens: 7,
			top_p: 0.4,
			stop: 'END',
			stream: true,
			stream_options: { include_usage: true },
			frequency_penalty: 0
		});
		expect(parsed).toEqual({
			model: 'gpt-4.1-mini',
			stream: true,
			includeUsage: true,
			input: {
				system: 'A\n\nB',
				messages: [
					{ role: 'user', content: 'Hello' },
					{ role: 'assistant', content: 'Yes?' }
				],
				maxTokens: 7,
				topP: 0.4,
				stop: ['END']
			}
		});
	});

	it('refuses what it cannot honour, naming the field', () => {
		expect(refusal({ model: 'm', messages: [user], n: 3 }).param).toBe('n');
		expect(refusal({ model: 'm', messages: [user], tools: [{}] }).param).toBe('tools');
		expect(refusal({ model: 'm', messages: [{ role: 'tool', content: 'x' }] }).param).toBe(
			'messages[0].role'
		);
		expect(refusal({ model: 'm', messages: [user], top_p: 2 }).param).toBe('top_p');
		expect(refusal({ messages: [user] }).param).toBe('model');
		expect(refusal({ model: 'm', messages: [{ role: 'system', content: 'only' }] }).param).toBe('messages');
		expect(
			refusal({ model: 'm', messages: [{ role: 'user', content: 'x'.repeat(300 * 1024) }] })
		).toMatchObject({
			kind: 'too_large',
			param: 'messages[0].content'
		});
	});
});

describe('formatChunks', () => {
	const meta = { id: 'chatcmpl-1', created: 1, model: 'openai/gpt-4.1-mini' };

	it('opens with the role, then deltas, the finish reason, the usage chunk and [DONE]', () => {
		const state = { started: false };
		const first = [...formatChunks(meta, { type: 'delta', text: 'Hi' }, state, true)];
		expect(first).toMatchObject([
			{
				object: 'chat.completion.chunk',
				choices: [{ delta: { role: 'assistant', content: '' } }],
				usage: null
			},
			{ choices: [{ delta: { content: 'Hi' }, finish_reason: null }], usage: null }
		]);
		const end = [
			...formatChunks(
				meta,
				{
					type: 'done',
					finishReason: 'length',
					usage: {
						inputTokens: 2,
						outputTokens: 1,
						cacheReadTokens: 0,
						cacheWriteTokens: 0,
						costUsd: null,
						estimated: false
					}
				},
				state,
				true
			)
		];
		expect(end).toMatchObject([
			{ choices: [{ delta: {}, finish_reason: 'length' }] },
			{ choices: [], usage: { prompt_tokens: 2, completion_tokens: 1, total_tokens: 3 } },
			'[DONE]'
		]);
	});

	it('leaves usage out without include_usage, and ends a failed stream with an error payload', () => {
		const state = { started: true };
		const [delta] = formatChunks(meta, { type: 'delta', text: 'x' }, state, false);
		expect(delta).not.toHaveProperty('usage');
		const [error] = formatChunks(
			meta,
			{
				type: 'error',
				error: { code: 'overloaded', message: 'Busy', retryable: true, providerId: 'openai' }
			},
			state,
			false
		);
		expect(error).toEqual({
			error: { message: 'Busy', type: 'server_error', code: 'overloaded', param: null }
		});
	});
});

describe('OpenAI errors', () => {
	it('answers an overloaded upstream with 503 (OpenAI has no 529) and names context length', () => {
		expect(openAIStatus(new CompatError('overloaded', 'Busy'))).toBe(503);
		const long = new CompatError('invalid_request', 'Too long', { providerCode: 'context_length' });
		expect(openAIErrorBody(long).error.code).toBe('context_length_exceeded');
	});
});
