import { describe, expect, it } from 'vitest';
import { UserLimits } from './user-limits';

describe('UserLimits', () => {
	it('caps concurrent generations per user and frees a slot on release', () => {
		const limits = new UserLimits({ maxConcurrent: 2, perMinute: 100 });
		expect(limits.acquire('a').ok).toBe(true);
		expect(limits.acquire('a').ok).toBe(true);
		expect(limits.acquire('a')).toMatchObject({ ok: false, reason: 'concurrent' });
		expect(limits.acquire('b').ok).toBe(true);
		limits.release('a');
		expect(limits.acquire('a').ok).toBe(true);
	});

	it('caps requests per minute in a sliding window', () => {
		let now = 0;
		const limits = new UserLimits({ maxConcurrent: 100, perMinute: 3, now: () => now });
		for (let i = 0; i < 3; i++) {
			expect(limits.acquire('a').ok).toBe(true);
			limits.release('a');
			now += 1000;
		}
		const refused = limits.acquire('a');
		expect(refused).toMatchObject({ ok: false, reason: 'rate' });
		expect(!refused.ok && refused.retryAfterMs).toBe(57_000);
		now = 60_001;
		expect(limits.acquire('a').ok).toBe(true);
	});
});
