import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { MemoryAttemptLog } from './attempt-log';
import { AuthThrottle, defaultThrottleRules, formatWait, waitFor, type BackoffRule } from './throttle';

describe('waitFor', () => {
	it('window: up to the limit within the window, then until the oldest counted attempt leaves', () => {
		const rule = { kind: 'window', limit: 3, windowMs: 1000 } as const;
		expect(waitFor(rule, [0, 100], 200)).toBe(0);
		expect(waitFor(rule, [0, 100, 200], 300)).toBe(700);
		expect(waitFor(rule, [0, 500, 900, 1000], 1000)).toBe(500);
	});

	it('backoff: free attempts, then doubling waits from the last failure, capped', () => {
		const rule: BackoffRule = { kind: 'backoff', free: 2, baseMs: 1000, maxMs: 5000, windowMs: 60_000 };
		expect(waitFor(rule, [0], 10)).toBe(0);
		expect(waitFor(rule, [0, 10], 10)).toBe(1000);
		expect(waitFor(rule, [0, 10, 20], 20)).toBe(2000);
		expect(waitFor(rule, [0, 10, 20, 30], 1030)).toBe(3000);
		expect(waitFor(rule, [0, 10, 20, 30, 40, 50, 60], 60)).toBe(5000);
		expect(waitFor(rule, [0, 10, 20, 30, 40, 50, 60], 5060)).toBe(0);
	});
});

describe('MemoryAttemptLog', () => {
	it('keeps a window per key, forgives one attempt, clears, and caps its keys', async () => {
		const log = new MemoryAttemptLog(2);
		expect(await log.record('k', 0, 1000)).toEqual([0]);
		expect(await log.record('k', 600, 1000)).toEqual([0, 600]);
		expect(await log.record('k', 1200, 1000)).toEqual([600, 1200]);
		await log.forgive('k', 600);
		expect(await log.record('k', 1300, 1000)).toEqual([1200, 1300]);
		await log.clear('k');
		expect(await log.record('k', 1400, 1000)).toEqual([1400]);
		await log.record('a', 0, 1000);
		await log.record('b', 0, 1000);
		// The key touched longest ago went first.
		expect(log.size).toBe(2);
		expect(await log.record('k', 1500, 1000)).toEqual([1500]);
	});
});

describe('AuthThrottle', () => {
	const rules = {
		...defaultThrottleRules,
		account: { kind: 'backoff', free: 2, baseMs: 1000, maxMs: 4000, windowMs: 60_000 },
		device: { kind: 'backoff', free: 2, baseMs: 1000, maxMs: 4000, windowMs: 60_000 },
		address: { kind: 'window', limit: 4, windowMs: 60_000 }
	} as const;
	const stranger = { email: 'a@example.com', address: '10.0.0.1', device: null };

	async function refusal(attempt: Promise<void>): Promise<AppError> {
		const error = await attempt.then(
			() => null,
			(e: unknown) => e
		);
		if (!(error instanceof AppError)) throw new Error('expected a refusal');
		return error;
	}

	it('slows an account with doubling waits instead of locking it, and says how long', async () => {
		const throttle = new AuthThrottle(rules);
		await throttle.beginSignIn(stranger, 0);
		await throttle.beginSignIn(stranger, 10);
		const refused = await refusal(throttle.beginSignIn(stranger, 20));
		expect(refused).toMatchObject({ code: 'too_many_requests', retryAfterMs: 990 });
		expect(refused.message).toBe('Too many failed sign-in attempts. Try again in 1 second.');
		// A refused attempt is not counted: waiting it out is enough.
		await throttle.beginSignIn(stranger, 1010);
		expect((await refusal(throttle.beginSignIn(stranger, 1010))).retryAfterMs).toBe(2000);
	});

	it('lets a known device past the account and address counts, and counts it on its own', async () => {
		const throttle = new AuthThrottle(rules);
		for (let t = 0; t < 4; t++) await throttle.beginSignIn({ ...stranger, email: `x${t}@example.com` }, t);
		await refusal(throttle.beginSignIn(stranger, 4));
		const known = { ...stranger, device: 'device-1' };
		await throttle.beginSignIn(known, 5);
		await throttle.beginSignIn(known, 5);
		expect((await refusal(throttle.beginSignIn(known, 6))).retryAfterMs).toBe(999);
		// The address's count was untouched by the device's attempts.
		expect((await refusal(throttle.beginSignIn(stranger, 7))).retryAfterMs).toBe(60_000 - 7);
	});

	it('keeps password checks apart from sign-ins', async () => {
		const throttle = new AuthThrottle({
			...rules,
			passwordCheck: { kind: 'backoff', free: 1, baseMs: 1000, maxMs: 1000, windowMs: 60_000 }
		});
		for (let t = 0; t < 3; t++) await throttle.beginSignIn(stranger, t * 10_000).catch(() => {});
		await throttle.beginPasswordCheck('session-1', 30_000);
		const refused = await refusal(throttle.beginPasswordCheck('session-1', 30_000));
		expect(refused.message).toBe('Too many wrong passwords. Try again in 1 second.');
		await throttle.beginPasswordCheck('session-2', 30_000);
	});

	it('counts parallel attempts at once: a burst cannot slip past', async () => {
		const throttle = new AuthThrottle(rules);
		const results = await Promise.allSettled(
			Array.from({ length: 6 }, () => throttle.beginSignIn(stranger, 0))
		);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
	});
});

describe('formatWait', () => {
	it('rounds up to seconds, then minutes', () => {
		expect(formatWait(1)).toBe('1 second');
		expect(formatWait(59_000)).toBe('59 seconds');
		expect(formatWait(59_001)).toBe('1 minute');
		expect(formatWait(15 * 60_000)).toBe('15 minutes');
	});
});
