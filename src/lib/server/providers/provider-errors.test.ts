import { describe, expect, it } from 'vitest';
import {
	classifyFailure,
	failureToError,
	parseRetryAfter,
	redactSecrets,
	safeCause
} from './provider-errors';

describe('classifyFailure', () => {
	it.each([
		[{ status: 401 }, 'auth', false],
		[{ status: 403, type: 'permission_error' }, 'auth', false],
		[{ status: 404 }, 'model_not_found', false],
		[{ status: 429, type: 'rate_limit_error' }, 'rate_limited', true],
		[{ status: 429, type: 'insufficient_quota', code: 'insufficient_quota' }, 'rate_limited', false],
		[{ status: 402 }, 'rate_limited', false],
		[{ status: 529 }, 'overloaded', true],
		[{ type: 'overloaded_error' }, 'overloaded', true],
		[{ status: 500 }, 'unavailable', true],
		[{ status: 503 }, 'unavailable', true],
		[{ status: 408 }, 'timeout', true],
		[{ status: 413 }, 'context_length', false],
		[{ status: 400, code: 'context_length_exceeded' }, 'context_length', false],
		[{ status: 400, message: 'prompt is too long: 201234 tokens > 200000 maximum' }, 'context_length', false],
		[{ status: 400 }, 'invalid_request', false],
		[{ status: 422 }, 'invalid_request', false],
		[{ type: 'api_error' }, 'unavailable', true],
		[{ type: 'stream_error', message: 'runner died' }, 'unavailable', true],
		[{}, 'unknown', false]
	] as const)('%o -> %s', (failure, code, retryable) => {
		expect(classifyFailure(failure)).toMatchObject({ code, retryable });
	});
});

describe('parseRetryAfter', () => {
	const h = (init: Record<string, string>) => new Headers(init);
	it('prefers retry-after-ms, then seconds, then an HTTP date', () => {
		expect(parseRetryAfter(h({ 'retry-after-ms': '5', 'retry-after': '9' }))).toBe(5);
		expect(parseRetryAfter(h({ 'retry-after': '2' }))).toBe(2000);
		expect(
			parseRetryAfter(
				h({ 'retry-after': 'Wed, 25 Nov 2026 10:00:30 GMT' }),
				Date.parse('Wed, 25 Nov 2026 10:00:00 GMT')
			)
		).toBe(30_000);
		expect(parseRetryAfter(h({ 'retry-after': 'soon' }))).toBeUndefined();
		expect(parseRetryAfter(undefined)).toBeUndefined();
	});
});

describe('secrets', () => {
	const key = 'my-custom-key-0123456789';
	it('redacts the key itself and key-shaped text', () => {
		expect(redactSecrets(`bad key ${key} and sk-abcdef123456 and Bearer xyz.abc`, key)).toBe(
			'bad key [redacted] and [redacted] and [redacted]'
		);
	});

	it('keeps a clean cause, and replaces one that carries the key', () => {
		const clean = new Error('boom');
		expect(safeCause(clean, key)).toBe(clean);
		const dirty = Object.assign(new Error(`401 Incorrect API key provided: ${key}`), {
			error: { message: key }
		});
		const copy = safeCause(dirty, key) as Error;
		expect(copy).not.toBe(dirty);
		expect(copy.message).not.toContain(key);
	});

	it('builds user-safe messages without upstream auth text', () => {
		const error = failureToError(
			{ status: 401, message: `Incorrect API key provided: ${key}` },
			{ providerId: 'openai', apiKey: key },
			null
		);
		expect(error.message).toBe(
			'The provider "openai" rejected the API key (HTTP 401). Check the key in Settings → Providers.'
		);
	});

	it('includes a redacted upstream detail for invalid requests, and retry-after only when retryable', () => {
		const headers = new Headers({ 'retry-after': '1' });
		const invalid = failureToError(
			{ status: 400, message: `bad field near ${key}`, headers },
			{ providerId: 'p', apiKey: key },
			null
		);
		expect(invalid.message).toBe(
			'The provider "p" refused the request (HTTP 400): bad field near [redacted]'
		);
		expect(invalid.retryAfterMs).toBeUndefined();
		expect(failureToError({ status: 429, headers }, { providerId: 'p' }, null).retryAfterMs).toBe(1000);
	});

	it("replaces the upstream detail's control characters, keeping its line breaks and tabs", () => {
		const error = failureToError(
			{ status: 400, message: 'a\u0000b \u001b[2Jc\n\td\u007f' },
			{ providerId: 'p' },
			null
		);
		expect(error.message).toBe(
			'The provider "p" refused the request (HTTP 400): a\uFFFDb \uFFFD[2Jc\n\td\uFFFD'
		);
	});
});
