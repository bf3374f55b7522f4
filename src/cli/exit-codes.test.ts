import { describe, expect, it } from 'vitest';
import { SwitchboardError, SwitchboardProviderError } from '../lib/sdk/errors';
import { EXIT, NotLoggedInError, UsageError, errorJson, errorMessage, exitCodeFor } from './exit-codes';

const provider = (code: 'rate_limited' | 'model_not_found' | 'auth') => ({
	code,
	provider: 'openai',
	retryable: false
});

describe('exitCodeFor', () => {
	it.each([
		[new UsageError('bad flag'), EXIT.usage],
		[new NotLoggedInError('log in'), EXIT.auth],
		[new SwitchboardError('UNAUTHORIZED', 'no'), EXIT.auth],
		[new SwitchboardError('FORBIDDEN', 'no'), EXIT.auth],
		[new SwitchboardError('TOO_MANY_REQUESTS', 'slow'), EXIT.rateLimited],
		[new SwitchboardError('BAD_REQUEST', 'x', { provider: provider('rate_limited') }), EXIT.rateLimited],
		[
			new SwitchboardError('BAD_REQUEST', 'Unknown model', { provider: provider('model_not_found') }),
			EXIT.provider
		],
		[new SwitchboardError('PRECONDITION_FAILED', 'not configured'), EXIT.provider],
		[new SwitchboardError('BAD_GATEWAY', 'upstream'), EXIT.provider],
		[
			new SwitchboardError('BAD_REQUEST', 'Invalid input', { fieldErrors: { temperature: ['At most 2'] } }),
			EXIT.usage
		],
		[new SwitchboardError('BAD_REQUEST', 'Unknown model "x" for openai.'), EXIT.provider],
		[
			new SwitchboardError('BAD_REQUEST', 'Unknown model', { field: 'modelId', fieldErrors: {} }),
			EXIT.provider
		],
		[new SwitchboardError('NETWORK_ERROR', 'down'), EXIT.failure],
		[new SwitchboardError('NOT_FOUND', 'gone'), EXIT.failure],
		[new Error('anything'), EXIT.failure]
	])('%s → %i', (error, code) => {
		expect(exitCodeFor(error)).toBe(code);
	});

	it('maps stream errors by their provider code', () => {
		const failure = (code: 'rate_limited' | 'model_not_found') =>
			new SwitchboardProviderError({ code, message: 'm', retryable: false, providerId: 'openai' });
		expect(exitCodeFor(failure('rate_limited'))).toBe(EXIT.rateLimited);
		expect(exitCodeFor(failure('model_not_found'))).toBe(EXIT.provider);
	});
});

describe('errorMessage', () => {
	it('names the server that could not be reached', () => {
		expect(errorMessage(new SwitchboardError('NETWORK_ERROR', 'x'), { url: 'http://h:1' })).toBe(
			'Cannot reach Switchboard at http://h:1: is it running?'
		);
	});

	it('says how to fix a refused token', () => {
		expect(errorMessage(new SwitchboardError('UNAUTHORIZED', 'Sign in'))).toMatch(/switchboard login/);
	});

	it('includes the provider, field errors and the wait', () => {
		const error = new SwitchboardError('BAD_REQUEST', 'Unknown model gpt-9', {
			provider: provider('model_not_found'),
			retryAfterMs: 1500,
			fieldErrors: { modelId: ['Choose a model'] }
		});
		expect(errorMessage(error)).toBe(
			'openai (model_not_found): Unknown model gpt-9 (modelId: Choose a model) Retry in 2s.'
		);
		expect(
			errorMessage(new SwitchboardError('TOO_MANY_REQUESTS', 'Slow down.', { retryAfterMs: 90_000 }))
		).toBe('Rate limited: Slow down. Retry in 2m.');
	});

	it('describes a failed generation', () => {
		const error = new SwitchboardProviderError({
			code: 'timeout',
			message: 'No answer',
			retryable: true,
			providerId: 'ollama'
		});
		expect(errorMessage(error)).toBe('ollama failed (timeout): No answer');
	});
});

describe('errorJson', () => {
	it('gives scripts a stable shape', () => {
		expect(errorJson(new SwitchboardError('UNAUTHORIZED', 'no'))).toMatchObject({
			code: 'UNAUTHORIZED',
			exitCode: EXIT.auth,
			provider: null
		});
		expect(errorJson(new UsageError('bad'))).toEqual({ code: 'USAGE', message: 'bad', exitCode: EXIT.usage });
		const failure = new SwitchboardProviderError(
			{ code: 'overloaded', message: 'busy', retryable: true, providerId: 'anthropic' },
			{ text: 'partial', modelId: 'claude' }
		);
		expect(errorJson(failure)).toMatchObject({
			code: 'PROVIDER_ERROR',
			provider: { code: 'overloaded', provider: 'anthropic', retryable: true },
			partialText: 'partial',
			exitCode: EXIT.provider
		});
	});
});
