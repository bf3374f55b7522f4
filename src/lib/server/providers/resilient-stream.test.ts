import { describe, expect, it } from 'vitest';
import { retryDelayMs, shouldRetry } from './resilient-stream';
import { ProviderError } from './types';

const error = (code: ProviderError['code'], retryable: boolean, retryAfterMs?: number) =>
	new ProviderError({ code, retryable, retryAfterMs, message: 'x', providerId: 'p' });

describe('retry decisions (pure)', () => {
	it('retries retryable errors before text, within the budget, except timeouts', () => {
		expect(shouldRetry(error('unavailable', true), 0, 2, false)).toBe(true);
		expect(shouldRetry(error('unavailable', true), 2, 2, false)).toBe(false);
		expect(shouldRetry(error('unavailable', true), 0, 2, true)).toBe(false);
		expect(shouldRetry(error('auth', false), 0, 2, false)).toBe(false);
		expect(shouldRetry(error('timeout', true), 0, 2, false)).toBe(false);
	});

	it('backs off exponentially with jitter, capped', () => {
		expect(retryDelayMs(error('unavailable', true), 0, { baseDelayMs: 100 }, () => 0)).toBe(50);
		expect(retryDelayMs(error('unavailable', true), 0, { baseDelayMs: 100 }, () => 1)).toBe(100);
		expect(retryDelayMs(error('unavailable', true), 3, { baseDelayMs: 100 }, () => 1)).toBe(800);
		expect(
			retryDelayMs(error('unavailable', true), 10, { baseDelayMs: 100, maxDelayMs: 1_000 }, () => 1)
		).toBe(1_000);
	});

	it('honours retry-after, capped', () => {
		expect(retryDelayMs(error('rate_limited', true, 7), 0, {})).toBe(7);
		expect(retryDelayMs(error('rate_limited', true, 90_000), 0, { maxRetryAfterMs: 10_000 })).toBe(10_000);
	});
});
