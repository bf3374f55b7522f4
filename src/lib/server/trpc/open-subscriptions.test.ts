import { describe, expect, it } from 'vitest';
import { OpenSubscriptions } from './open-subscriptions';

describe('OpenSubscriptions', () => {
	it('counts open subscriptions and wakes a waiter when the last one closes', async () => {
		const subscriptions = new OpenSubscriptions();
		subscriptions.opened();
		subscriptions.opened();
		expect(subscriptions.count).toBe(2);
		let woke = false;
		const waiting = subscriptions.waitForNone(10_000).then((none) => (woke = none));
		subscriptions.closed();
		await Promise.resolve();
		expect(woke).toBe(false);
		subscriptions.closed();
		expect(await waiting).toBe(true);
		expect(subscriptions.count).toBe(0);
	});

	it('gives up after the timeout while one is still open', async () => {
		const subscriptions = new OpenSubscriptions();
		subscriptions.opened();
		expect(await subscriptions.waitForNone(5)).toBe(false);
	});
});
