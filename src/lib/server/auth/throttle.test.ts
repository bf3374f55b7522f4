import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { LoginThrottle, SlidingWindow, formatWait } from './throttle';

describe('SlidingWindow', () => {
	const rule = { limit: 3, windowMs: 1000 };

	it('allows up to the limit within the window, then says how long to wait', () => {
		const window = new SlidingWindow(rule);
		window.fail('k', 0);
		window.fail('k', 100);
		expect(window.retryAfter('k', 200)).toBe(0);
		window.fail('k', 200);
		// Blocked until the oldest of the last three failures (t=0) leaves the window.
		expect(window.retryAfter('k', 300)).toBe(700);
		expect(window.retryAfter('k', 999)).toBe(1);
		expect(window.retryAfter('k', 1000)).toBe(0);
		expect(window.retryAfter('other', 300)).toBe(0);
	});

	it('slides: old failures drop out one by one', () => {
		const window = new SlidingWindow(rule);
		for (const t of [0, 500, 900]) window.fail('k', t);
		expect(window.retryAfter('k', 1000)).toBe(0);
		window.fail('k', 1000);
		expect(window.retryAfter('k', 1000)).toBe(500);
	});

	it('forgets keys once their failures expire, and forgives or resets on request', () => {
		const window = new SlidingWindow(rule);
		window.fail('k', 0);
		window.retryAfter('k', 5000);
		expect(window.size).toBe(0);
		window.fail('a', 0);
		window.fail('a', 10);
		window.forgive('a', 10);
		window.fail('a', 20);
		expect(window.retryAfter('a', 30)).toBe(0);
		window.reset('a');
		expect(window.size).toBe(0);
	});

	it('keeps memory bounded under a flood of keys', () => {
		const window = new SlidingWindow({ limit: 5, windowMs: 60_000 });
		for (let i = 0; i < 10_050; i++) window.fail(`key${i}`, 1);
		expect(window.size).toBeLessThanOrEqual(10_000);
	});
});

describe('LoginThrottle', () => {
	const rules = { account: { limit: 2, windowMs: 60_000 }, address: { limit: 4, windowMs: 60_000 } };
	const keys = { email: 'a@example.com', address: '10.0.0.1' };

	it('throws too_many_requests with the wait, and never blocks forever', () => {
		const throttle = new LoginThrottle(rules);
		throttle.begin(keys, 0);
		throttle.begin(keys, 0);
		let error: unknown;
		try {
			throttle.begin(keys, 1000);
		} catch (e) {
			error = e;
		}
		expect(error).toBeInstanceOf(AppError);
		expect(error).toMatchObject({ code: 'too_many_requests', retryAfterMs: 59_000 });
		expect((error as Error).message).toBe('Too many failed sign-in attempts. Try again in 59 seconds.');
		expect(() => throttle.begin(keys, 60_000)).not.toThrow();
	});

	it('clears the account on success but keeps the address count (minus the successful attempt)', () => {
		const throttle = new LoginThrottle(rules);
		throttle.begin({ ...keys, email: 'x@example.com' }, 0);
		throttle.begin({ ...keys, email: 'y@example.com' }, 0);
		throttle.begin(keys, 0);
		throttle.succeeded(keys, 0);
		throttle.begin(keys, 1);
		throttle.begin({ ...keys, email: 'z@example.com' }, 2);
		expect(() => throttle.begin({ ...keys, email: 'w@example.com' }, 3)).toThrow(AppError);
	});
});

describe('formatWait', () => {
	it('speaks seconds under a minute, whole minutes above', () => {
		expect(formatWait(1)).toBe('1 second');
		expect(formatWait(30_000)).toBe('30 seconds');
		expect(formatWait(60_000)).toBe('1 minute');
		expect(formatWait(61_000)).toBe('2 minutes');
		expect(formatWait(15 * 60_000)).toBe('15 minutes');
	});
});
