import { describe, expect, it } from 'vitest';
import { UserLimits } from './user-limits';

describe('UserLimits', () => {
	it('caps concurrent generations per user and frees a slot on release', () => {
		const limits = new UserLimits();
		const caps = { maxConcurrent: 2, perMinute: 100 };
		const first = limits.acquireNow('a', caps);
		expect(first.ok).toBe(true);
		expect(limits.acquireNow('a', caps).ok).toBe(true);
		expect(limits.acquireNow('a', caps)).toMatchObject({ ok: false, reason: 'concurrent' });
		expect(limits.acquireNow('b', caps).ok).toBe(true);
		if (first.ok) {
			first.release();
			first.release();
		}
		expect(limits.runningFor('a')).toBe(1);
		expect(limits.acquireNow('a', caps).ok).toBe(true);
	});

	it('caps requests per minute in a sliding window', () => {
		let now = 0;
		const limits = new UserLimits({ now: () => now });
		const caps = { maxConcurrent: 100, perMinute: 3 };
		for (let i = 0; i < 3; i++) {
			const slot = limits.acquireNow('a', caps);
			expect(slot.ok).toBe(true);
			if (slot.ok) slot.release();
			now += 1000;
		}
		const refused = limits.acquireNow('a', caps);
		expect(refused).toMatchObject({ ok: false, reason: 'rate' });
		expect(!refused.ok && refused.retryAfterMs).toBe(57_000);
		now = 60_001;
		expect(limits.acquireNow('a', caps).ok).toBe(true);
	});

	it('takes the caps per call, so two users can be held to different ones', () => {
		const limits = new UserLimits();
		expect(limits.acquireNow('a', { maxConcurrent: 1, perMinute: 10 }).ok).toBe(true);
		expect(limits.acquireNow('a', { maxConcurrent: 1, perMinute: 10 }).ok).toBe(false);
		expect(limits.acquireNow('a', { maxConcurrent: 2, perMinute: 10 }).ok).toBe(true);
	});
});
