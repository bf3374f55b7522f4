import { describe, expect, it } from 'vitest';
import { toProviderError } from './provider-errors';
import { ProviderError } from './types';

const ctx = { providerId: 'openai', apiKey: 'sk-test-secret-000000' };

describe('toProviderError (the one normalizer)', () => {
	it('keeps a ProviderError as it is', () => {
		const original = new ProviderError({ code: 'rate_limited', message: 'm', providerId: 'openai' });
		expect(toProviderError(original, ctx)).toBe(original);
	});

	it("lets the caller's abort win, keeping an aborted ProviderError", () => {
		const signal = AbortSignal.abort();
		const aborted = new ProviderError({ code: 'aborted', message: 'm', providerId: 'openai' });
		expect(toProviderError(aborted, { ...ctx, signal })).toBe(aborted);
		const other = new ProviderError({ code: 'timeout', message: 'm', providerId: 'openai' });
		expect(toProviderError(other, { ...ctx, signal })).toMatchObject({ code: 'aborted', cause: other });
		expect(toProviderError(new TypeError('boom'), { ...ctx, signal }).code).toBe('aborted');
	});

	it('classifies network and abort-shaped errors, and calls the rest unknown', () => {
		const network = new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED') });
		expect(toProviderError(network, ctx)).toMatchObject({ code: 'unavailable', retryable: true });
		const timeout = Object.assign(new Error('t'), { name: 'TimeoutError' });
		expect(toProviderError(timeout, ctx)).toMatchObject({ code: 'timeout', retryable: true });
		const unknown = toProviderError(new Error('odd'), ctx);
		expect(unknown).toMatchObject({ code: 'unknown', retryable: false, providerId: 'openai' });
		expect(unknown.message).toBe('The provider "openai" failed unexpectedly.');
	});

	it('never keeps the key in the cause', () => {
		const leaky = new Error(`bad key ${ctx.apiKey}`);
		const error = toProviderError(leaky, ctx);
		expect(String((error.cause as Error).message)).not.toContain(ctx.apiKey);
	});
});
