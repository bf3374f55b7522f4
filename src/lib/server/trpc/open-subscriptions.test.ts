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

	it('re-checks only the subscriptions a change concerns, until they unregister', () => {
		const subscriptions = new OpenSubscriptions();
		const checked: string[] = [];
		const user = { id: 'u1', email: 'a@example.test', name: null, role: 'member' as const };
		const unwatch = subscriptions.watch({ user, sessionId: 's1', tokenId: null }, () =>
			checked.push('cookie')
		);
		subscriptions.watch({ user, sessionId: null, tokenId: 't1' }, () => checked.push('token'));
		subscriptions.recheck({ kind: 'session', sessionId: 's1' });
		subscriptions.recheck({ kind: 'token', tokenId: 't2' });
		subscriptions.recheck({ kind: 'user', userId: 'u1' });
		expect(checked).toEqual(['cookie', 'cookie', 'token']);
		unwatch();
		subscriptions.recheck({ kind: 'session', sessionId: 's1' });
		subscriptions.recheck({ kind: 'token', tokenId: 't1' });
		expect(checked).toEqual(['cookie', 'cookie', 'token', 'token']);
	});
});
