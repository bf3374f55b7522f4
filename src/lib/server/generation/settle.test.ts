import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { ProviderError } from '../providers/types';
import { unsavedAnswer } from './persist';
import { settle, terminalEvent } from './settle';

const spec = {
	userId: 'u1',
	chatId: 'c1',
	messageId: 'm1',
	request: { messages: [{ role: 'user' as const, content: 'Hello there' }] }
};
const answered = {
	providerId: 'openai',
	model: {
		modelId: 'gpt-4.1-mini',
		inputPricePerMTok: '1',
		outputPricePerMTok: '2',
		cacheReadPricePerMTok: null,
		cacheWritePricePerMTok: null
	}
};
const streamed = { text: 'Hi!', ttftMs: 12, latencyMs: 40 };
const usage = {
	inputTokens: 1000,
	outputTokens: 500,
	cacheReadTokens: 0,
	cacheWriteTokens: 0,
	estimated: false
};

describe('settle', () => {
	it('a finished answer is complete, with the provider usage and its cost', () => {
		const { outcome, usage: row } = settle(
			spec,
			answered,
			{ type: 'finished', finish: { finishReason: 'stop', usage } },
			streamed
		);
		expect(outcome).toMatchObject({
			status: 'complete',
			finishReason: 'stop',
			error: null,
			saveError: null,
			usage: { ...usage, costUsd: 0.002 }
		});
		expect(row).toMatchObject({ status: 'ok', errorCode: null, costUsd: '0.002', ttftMs: 12, latencyMs: 40 });
	});

	it('a stopped answer keeps its text, with usage estimated from it', () => {
		const { outcome, usage: row } = settle(spec, answered, { type: 'stopped' }, streamed);
		expect(outcome).toMatchObject({ status: 'stopped', finishReason: 'aborted', text: 'Hi!' });
		expect(outcome.usage.estimated).toBe(true);
		expect(row).toMatchObject({ status: 'stopped', errorCode: 'aborted', estimated: true });
	});

	it('a failure keeps the usage the provider reported before failing', () => {
		const error = new ProviderError({ code: 'unavailable', message: 'down', providerId: 'openai' });
		const { outcome, usage: row } = settle(
			spec,
			answered,
			{ type: 'failed', error, finish: { finishReason: 'stop', usage } },
			streamed
		);
		expect(outcome).toMatchObject({ status: 'error', finishReason: 'error', error });
		expect(outcome.usage.estimated).toBe(false);
		expect(row).toMatchObject({ status: 'error', errorCode: 'unavailable' });
	});
});

describe('terminalEvent', () => {
	const { outcome } = settle(
		spec,
		answered,
		{ type: 'finished', finish: { finishReason: 'stop', usage } },
		streamed
	);

	it('ends a saved answer with done', () => {
		expect(terminalEvent(outcome)).toMatchObject({ type: 'done', finishReason: 'stop' });
	});

	it('ends an answer that could not be saved with an error, never done', () => {
		const saveError = new AppError('unavailable', 'x');
		expect(terminalEvent({ ...outcome, saveError })).toEqual({
			type: 'error',
			error: { ...unsavedAnswer, retryable: true, providerId: 'openai', retryAfterMs: null }
		});
	});
});
