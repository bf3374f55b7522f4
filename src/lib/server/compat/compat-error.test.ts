import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { providerFailure } from '../provider-failure';
import { ProviderError } from '../providers/types';
import { CompatError, retryAfterHeaders, toCompatError } from './compat-error';

describe('toCompatError', () => {
	it('maps provider failures by their code, keeping retry-after', () => {
		const limited = new ProviderError({
			code: 'rate_limited',
			message: 'Slow down',
			providerId: 'openai',
			retryAfterMs: 1500
		});
		expect(toCompatError(limited)).toMatchObject({
			kind: 'rate_limit',
			retryAfterMs: 1500,
			providerCode: 'rate_limited'
		});
		expect(retryAfterHeaders(toCompatError(limited))).toEqual({ 'retry-after': '2' });
		const auth = new ProviderError({
			code: 'auth',
			message: 'The provider refused the key',
			providerId: 'openai'
		});
		// Switchboard's own key failing upstream is a gateway failure, not the caller's credentials.
		expect(toCompatError(auth).kind).toBe('upstream');
		expect(toCompatError(providerFailure(auth)).kind).toBe('upstream');
	});

	it('maps application errors, keeping the field', () => {
		const error = toCompatError(new AppError('bad_request', 'No', { field: 'modelId' }));
		expect(error).toMatchObject({ kind: 'invalid_request', param: 'modelId' });
		expect(toCompatError(new AppError('too_many_requests', 'Wait', { retryAfterMs: 10 })).kind).toBe(
			'rate_limit'
		);
	});

	it('answers a database that refuses writes (a full disk, read-only) as unavailable, keeping the cause', () => {
		const diskFull = Object.assign(new Error('could not extend file: No space left on device'), {
			code: '53100'
		});
		const error = toCompatError(new Error('Failed query: update api_tokens', { cause: diskFull }));
		expect(error.kind).toBe('unavailable');
		expect(error.message).not.toMatch(/api_tokens|No space/);
		expect((error.cause as AppError).cause).toBeInstanceOf(Error);
	});

	it('hides anything unexpected behind a generic message, keeping the cause', () => {
		const cause = new Error('select * from secrets');
		const error = toCompatError(cause);
		expect(error).toBeInstanceOf(CompatError);
		expect(error).toMatchObject({ kind: 'internal', message: 'Something went wrong on the server.' });
		expect(error.cause).toBe(cause);
		expect(retryAfterHeaders(error)).toEqual({});
	});
});
