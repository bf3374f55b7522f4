import { describe, expect, it } from 'vitest';
import { CooldownTracker } from './cooldown';

describe('CooldownTracker', () => {
	const setup = () => {
		let now = 0;
		const tracker = new CooldownTracker({ threshold: 3, windowMs: 1_000, cooldownMs: 5_000, now: () => now });
		return { tracker, advance: (ms: number) => (now += ms) };
	};

	it('cools a provider down after repeated failures in the window, then recovers', () => {
		const { tracker, advance } = setup();
		tracker.reportFailure('a', { code: 'unavailable' });
		tracker.reportFailure('a', { code: 'overloaded' });
		expect(tracker.isCoolingDown('a')).toBe(false);
		tracker.reportFailure('a', { code: 'timeout' });
		expect(tracker.isCoolingDown('a')).toBe(true);
		expect(tracker.isCoolingDown('b')).toBe(false);
		advance(5_001);
		expect(tracker.isCoolingDown('a')).toBe(false);
	});

	it('tells once per cooldown that it started', () => {
		const started: string[] = [];
		const tracker = new CooldownTracker({ threshold: 2, onCooldown: (id) => started.push(id) });
		tracker.reportFailure('a', { code: 'overloaded' });
		expect(started).toEqual([]);
		tracker.reportFailure('a', { code: 'overloaded' });
		tracker.reportFailure('b', { code: 'invalid_request' });
		tracker.reportFailure('b', { code: 'invalid_request' });
		expect(started).toEqual(['a']);
	});

	it('forgets failures outside the window and on success', () => {
		const { tracker, advance } = setup();
		tracker.reportFailure('a', { code: 'unavailable' });
		tracker.reportFailure('a', { code: 'unavailable' });
		advance(1_500);
		tracker.reportFailure('a', { code: 'unavailable' });
		expect(tracker.isCoolingDown('a')).toBe(false);
		tracker.reportFailure('a', { code: 'unavailable' });
		tracker.reportSuccess('a');
		tracker.reportFailure('a', { code: 'unavailable' });
		expect(tracker.isCoolingDown('a')).toBe(false);
	});

	it('ignores failures that say nothing about the provider, and honours a long retry-after', () => {
		const { tracker } = setup();
		for (let i = 0; i < 5; i++) tracker.reportFailure('a', { code: 'invalid_request' });
		for (let i = 0; i < 5; i++) tracker.reportFailure('a', { code: 'aborted' });
		expect(tracker.isCoolingDown('a')).toBe(false);
		for (let i = 0; i < 3; i++) tracker.reportFailure('a', { code: 'rate_limited', retryAfterMs: 60_000 });
		expect(tracker.remainingMs('a')).toBe(60_000);
	});
});
