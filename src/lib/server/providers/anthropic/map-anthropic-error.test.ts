import {
	APIConnectionError,
	APIConnectionTimeoutError,
	APIError,
	APIUserAbortError
} from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { OutboundRefusedError } from '../guarded-fetch';
import { mapAnthropicError } from './map-anthropic-error';

const ctx = { providerId: 'anthropic', apiKey: 'sk-ant-secret-123456' };
const body = (type: string, message = 'm') => ({ type: 'error', error: { type, message } });

describe('mapAnthropicError (SDK error classes, no HTTP)', () => {
	it.each([
		[401, 'authentication_error', 'auth'],
		[404, 'not_found_error', 'model_not_found'],
		[429, 'rate_limit_error', 'rate_limited'],
		[529, 'overloaded_error', 'overloaded'],
		[500, 'api_error', 'unavailable'],
		[413, 'request_too_large', 'context_length'],
		[400, 'invalid_request_error', 'invalid_request']
	])('%i %s -> %s', (status, type, code) => {
		const error = APIError.generate(status, body(type), undefined, new Headers());
		expect(mapAnthropicError(error, ctx).code).toBe(code);
	});

	it('maps an in-stream overloaded event (no status) to overloaded', () => {
		const error = new APIError(
			undefined,
			body('overloaded_error', 'Overloaded'),
			undefined,
			new Headers(),
			'overloaded_error'
		);
		expect(mapAnthropicError(error, ctx)).toMatchObject({ code: 'overloaded', retryable: true });
	});

	it("reads a body's fields of another type as unset, and keeps the SDK's text", () => {
		const odd = (status: number, type: string) =>
			APIError.generate(
				status,
				{ type: 'error', error: { type, message: { text: 'max_tokens is out of range' } } },
				undefined,
				new Headers()
			);
		expect(mapAnthropicError(odd(529, 'overloaded_error'), ctx)).toMatchObject({
			code: 'overloaded',
			retryable: true
		});
		const refused = mapAnthropicError(odd(400, 'invalid_request_error'), ctx);
		expect(refused).toMatchObject({ code: 'invalid_request', retryable: false });
		expect(refused.message).toContain('max_tokens is out of range');
	});

	it('maps aborts, timeouts, connection failures and refused URLs', () => {
		expect(mapAnthropicError(new APIUserAbortError(), ctx).code).toBe('aborted');
		expect(mapAnthropicError(new APIConnectionTimeoutError(), ctx).code).toBe('timeout');
		expect(
			mapAnthropicError(new APIConnectionError({ cause: new Error('ECONNREFUSED') }), ctx)
		).toMatchObject({ code: 'unavailable', retryable: true });
		const refused = new APIConnectionError({
			cause: new OutboundRefusedError('The provider URL points at a cloud metadata address.')
		});
		expect(mapAnthropicError(refused, ctx)).toMatchObject({
			code: 'invalid_request',
			retryable: false,
			message: expect.stringContaining('metadata')
		});
	});

	it('maps anything after the caller aborted to aborted', () => {
		const controller = new AbortController();
		controller.abort();
		expect(mapAnthropicError(new TypeError('terminated'), { ...ctx, signal: controller.signal }).code).toBe(
			'aborted'
		);
	});
});
