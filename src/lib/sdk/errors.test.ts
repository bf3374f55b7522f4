import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import { providerErrorCode, SwitchboardError, SwitchboardProviderError, toSwitchboardError } from './errors';

/** A TRPCClientError as the client builds it from the server's error response. */
function serverError(code: string, message: string, data: Record<string, unknown>) {
	return TRPCClientError.from({ error: { code: -32000, message, data: { code, ...data } } });
}

describe('toSwitchboardError', () => {
	it('keeps the tRPC code, status and message', () => {
		const error = toSwitchboardError(
			serverError('UNAUTHORIZED', 'Sign in to continue.', { httpStatus: 401 })
		);
		expect(error).toBeInstanceOf(SwitchboardError);
		expect(error).toMatchObject({ code: 'UNAUTHORIZED', httpStatus: 401, message: 'Sign in to continue.' });
		expect(error.provider).toBeUndefined();
	});

	it('exposes a provider failure and the wait before retrying', () => {
		const error = toSwitchboardError(
			serverError('TOO_MANY_REQUESTS', 'Slow down', {
				httpStatus: 429,
				provider: { code: 'rate_limited', provider: 'openai', retryable: true },
				retryAfterMs: 2000
			})
		);
		expect(error).toMatchObject({
			code: 'TOO_MANY_REQUESTS',
			provider: { code: 'rate_limited', provider: 'openai', retryable: true },
			retryAfterMs: 2000
		});
		expect(providerErrorCode(error)).toBe('rate_limited');
	});

	it('flattens zod field errors', () => {
		const error = toSwitchboardError(
			serverError('BAD_REQUEST', 'Invalid input', {
				zodError: { formErrors: [], fieldErrors: { temperature: ['At most 2'] } }
			})
		) as SwitchboardError;
		expect(error.code).toBe('BAD_REQUEST');
		expect(error.fieldErrors).toEqual({ temperature: ['At most 2'] });
		expect(error.formErrors).toEqual([]);
	});

	it("says refused input in words, not as the validator's JSON", () => {
		const issues = JSON.stringify([{ code: 'too_big', path: ['content'], message: 'Too long' }]);
		const error = toSwitchboardError(
			serverError('BAD_REQUEST', issues, {
				zodError: {
					formErrors: ['Pick a model'],
					fieldErrors: { content: ['Messages are limited to 256 KB', 'Too long'], temperature: ['At most 2'] }
				}
			})
		);
		expect(error.message).toBe(
			'Pick a model; content: Messages are limited to 256 KB; temperature: At most 2'
		);
		const plain = toSwitchboardError(serverError('BAD_REQUEST', 'Unknown model', { zodError: null }));
		expect(plain.message).toBe('Unknown model');
	});

	it('keeps the field a server rule refused, when the server names it', () => {
		const error = toSwitchboardError(serverError('BAD_REQUEST', 'Unknown model', { field: 'modelId' }));
		expect(error).toMatchObject({ code: 'BAD_REQUEST', field: 'modelId' });
	});

	it('keeps the request id the server gave the failure, so a person can quote it', () => {
		const error = toSwitchboardError(
			serverError('NOT_FOUND', 'Chat not found', { requestId: '0f8fad5b-d9cb-469f-a165-70867728950e' })
		);
		expect(error).toMatchObject({ code: 'NOT_FOUND', requestId: '0f8fad5b-d9cb-469f-a165-70867728950e' });
	});

	it('calls a failed fetch a network error', () => {
		const error = toSwitchboardError(TRPCClientError.from(new TypeError('fetch failed')));
		expect(error.code).toBe('NETWORK_ERROR');
		expect(error.message).toMatch(/Could not reach Switchboard/);
	});

	it('reads the status of a refused event stream', () => {
		const refused = Object.assign(new Error('Non-200 status code (401)'), { code: 401 });
		const error = toSwitchboardError(new TRPCClientError('Non-200 status code (401)', { cause: refused }));
		expect(error.code).toBe('UNAUTHORIZED');
	});

	it('wraps anything else without losing it', () => {
		const cause = new Error('boom');
		const error = toSwitchboardError(cause);
		expect(error.code).toBe('INTERNAL_SERVER_ERROR');
		expect(error.cause).toBe(cause);
		expect(toSwitchboardError('text').message).toBe('text');
	});

	it('passes SDK errors through', () => {
		const error = new SwitchboardError('NOT_FOUND', 'gone');
		expect(toSwitchboardError(error)).toBe(error);
	});
});

describe('SwitchboardProviderError', () => {
	it('carries the provider code and the partial answer', () => {
		const error = new SwitchboardProviderError(
			{ code: 'overloaded', message: 'Busy', retryable: true, providerId: 'anthropic' },
			{ text: 'Hel', modelId: 'claude' }
		);
		expect(error).toMatchObject({
			code: 'overloaded',
			providerId: 'anthropic',
			text: 'Hel',
			modelId: 'claude'
		});
		expect(error.provider).toEqual({ code: 'overloaded', provider: 'anthropic', retryable: true });
		expect(providerErrorCode(error)).toBe('overloaded');
		expect(providerErrorCode(new Error('x'))).toBeUndefined();
	});
});
