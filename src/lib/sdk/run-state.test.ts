import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../schemas/stream-events';
import { applyEvent, initialRunState, isTerminal } from './run-state';

const usage = {
	inputTokens: 3,
	outputTokens: 5,
	cacheReadTokens: 0,
	cacheWriteTokens: 0,
	costUsd: 0.001,
	estimated: false
};

function fold(events: StreamEvent[]) {
	return events.reduce(applyEvent, initialRunState);
}

describe('applyEvent', () => {
	it('collects the text and the answering model', () => {
		const state = fold([
			{ type: 'start', messageId: 'm1', providerId: 'openai', modelId: 'gpt' },
			{ type: 'delta', text: 'Hel' },
			{ type: 'delta', text: 'lo' },
			{ type: 'done', finishReason: 'stop', usage }
		]);
		expect(state).toMatchObject({ messageId: 'm1', text: 'Hello', providerId: 'openai', modelId: 'gpt' });
		expect(state.end).toEqual({ type: 'done', finishReason: 'stop', usage });
	});

	it('follows fallbacks to the provider that really answered', () => {
		const fallback: StreamEvent = {
			type: 'fallback',
			from: { providerId: 'anthropic', modelId: 'claude' },
			to: { providerId: 'openai', modelId: 'gpt' },
			reason: 'overloaded'
		};
		const state = fold([
			{ type: 'start', messageId: 'm', providerId: 'anthropic', modelId: 'claude' },
			fallback
		]);
		expect(state).toMatchObject({ providerId: 'openai', modelId: 'gpt', fallbacks: [fallback] });
	});

	it('records an error end and ignores anything after the end', () => {
		const error = { code: 'timeout' as const, message: 'slow', retryable: true, providerId: 'ollama' };
		const state = fold([
			{ type: 'delta', text: 'a' },
			{ type: 'error', error },
			{ type: 'delta', text: 'b' }
		]);
		expect(state.text).toBe('a');
		expect(state.end).toEqual({ type: 'error', error });
	});

	it('does not change the state it is given', () => {
		const before = fold([{ type: 'delta', text: 'a' }]);
		applyEvent(before, { type: 'delta', text: 'b' });
		expect(before.text).toBe('a');
	});
});

describe('isTerminal', () => {
	it('is true for done and error only', () => {
		expect(isTerminal({ type: 'done', finishReason: 'stop', usage })).toBe(true);
		expect(
			isTerminal({
				type: 'error',
				error: { code: 'unknown', message: '', retryable: false, providerId: 'x' }
			})
		).toBe(true);
		expect(isTerminal({ type: 'delta', text: '' })).toBe(false);
	});
});
