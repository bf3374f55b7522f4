import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { describe, expect, it } from 'vitest';
import { mapOpenAIError } from './map-openai-error';

const ctx = { providerId: 'openai', apiKey: 'sk-proj-secret-abcdef' };
const body = (code: string | null, type = 'invalid_request_error', message = 'm') => ({
	error: { message, type, code, param: null }
});

describe('mapOpenAIError (SDK error classes, no HTTP)', () => {
	it.each([
		[401, body('invalid_api_key'), 'auth', false],
		[404, body('model_not_found'), 'model_not_found', false],
		[429, body('rate_limit_exceeded', 'requests'), 'rate_limited', true],
		[429, body('insufficient_quota', 'insufficient_quota'), 'rate_limited', false],
		[500, body(null, 'server_error'), 'unavailable', true],
		[503, body(null, 'server_error'), 'unavailable', true],
		[400, body('context_length_exceeded'), 'context_length', false],
		[400, body('unsupported_parameter'), 'invalid_request', false]
	])('%i %o -> %s', (status, errorBody, code, retryable) => {
		const error = APIError.generate(status, errorBody, undefined, new Headers({ 'retry-after-ms': '7' }));
		const mapped = mapOpenAIError(error, ctx);
		expect(mapped).toMatchObject({ code, retryable, status });
		expect(mapped.retryAfterMs).toBe(retryable ? 7 : undefined);
	});

	it('maps an in-stream error (no status)', () => {
		const error = new APIError(
			undefined,
			{ message: 'The server had an error', type: 'server_error' },
			undefined,
			new Headers()
		);
		expect(mapOpenAIError(error, ctx)).toMatchObject({ code: 'unavailable', retryable: true });
	});

	it("reads a body's fields of another type as unset, and keeps the SDK's text", () => {
		// A gateway's error: an object where the message goes, a number for the code.
		const refused = APIError.generate(
			400,
			{
				error: {
					message: { detail: 'temperature is out of range' },
					type: 'invalid_request_error',
					code: 400
				}
			},
			undefined,
			new Headers()
		);
		expect(mapOpenAIError(refused, ctx)).toMatchObject({ code: 'invalid_request', retryable: false });
		expect(mapOpenAIError(refused, ctx).message).toContain('temperature is out of range');
		const inStream = new APIError(undefined, { message: 7, type: 'server_error' }, undefined, new Headers());
		expect(mapOpenAIError(inStream, ctx)).toMatchObject({ code: 'unavailable', retryable: true });
	});

	it('maps aborts, timeouts and connection failures', () => {
		expect(mapOpenAIError(new APIUserAbortError(), ctx).code).toBe('aborted');
		expect(mapOpenAIError(new APIConnectionTimeoutError(), ctx).code).toBe('timeout');
		expect(mapOpenAIError(new APIConnectionError({ cause: new Error('x') }), ctx).code).toBe('unavailable');
		expect(mapOpenAIError(new TypeError('terminated'), ctx).code).toBe('unavailable');
		expect(mapOpenAIError(new SyntaxError('Unexpected token'), ctx).code).toBe('unknown');
	});
});
