import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultThrottleRules } from '../../../src/lib/server/auth/throttle';
import { configureAuth } from '../../../src/lib/server/auth/runtime';
import { useTestDatabase } from '../../helpers/test-database';
import {
	createApiClient,
	createUser,
	errorOf,
	startApiServer,
	type ApiServer
} from '../../helpers/auth-client';

const { account } = defaultThrottleRules;

describe('sign-in throttling', () => {
	const testDb = useTestDatabase();
	let server: ApiServer;
	let now: Date;

	beforeEach(async () => {
		now = new Date('2026-03-01T12:00:00Z');
		server = await startApiServer(testDb.handle, { now: () => now });
	});
	afterEach(() => server.close());

	const advance = (ms: number) => {
		now = new Date(now.getTime() + ms);
	};
	const wrongSignIn = (email: string) => createApiClient(server.url).signIn(email, 'wrong password!');

	it('blocks an account after the limit with 429, Retry-After and the wait, even for the right password', async () => {
		const user = await createUser(server.app);
		for (let i = 0; i < account.limit; i++) {
			expect((await errorOf(wrongSignIn(user.email))).code).toBe('UNAUTHORIZED');
		}
		const blocked = await errorOf(createApiClient(server.url).signIn(user.email, user.password));
		expect(blocked).toMatchObject({ code: 'TOO_MANY_REQUESTS', status: 429 });
		expect(blocked.message).toBe('Too many failed sign-in attempts. Try again in 15 minutes.');
		expect(blocked.retryAfterMs).toBe(account.windowMs);

		const raw = await fetch(`${server.url}/api/trpc/auth.signIn`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ json: { email: user.email, password: user.password } })
		});
		expect(raw.status).toBe(429);
		expect(raw.headers.get('retry-after')).toBe(String(account.windowMs / 1000));
	});

	it('is a sliding window, never a permanent lockout', async () => {
		const user = await createUser(server.app);
		for (let i = 0; i < account.limit; i++) {
			await errorOf(wrongSignIn(user.email));
			advance(60_000);
		}
		// The first failure was 5 minutes ago: it leaves the window 10 minutes from now.
		const blocked = await errorOf(wrongSignIn(user.email));
		expect(blocked.retryAfterMs).toBe(account.windowMs - account.limit * 60_000);
		advance(blocked.retryAfterMs!);
		// One failure has left the window: one more try is allowed (and the right password works).
		await createApiClient(server.url).signIn(user.email, user.password);
	});

	it('resets the account count after a successful sign-in', async () => {
		const user = await createUser(server.app);
		for (let i = 0; i < account.limit - 1; i++) await errorOf(wrongSignIn(user.email));
		await createApiClient(server.url).signIn(user.email, user.password);
		for (let i = 0; i < account.limit - 1; i++) {
			expect((await errorOf(wrongSignIn(user.email))).code).toBe('UNAUTHORIZED');
		}
	});

	it('counts per client address too, across accounts (unknown emails included)', async () => {
		configureAuth(server.app, {
			throttle: { account: { limit: 100, windowMs: 60_000 }, address: { limit: 3, windowMs: 60_000 } }
		});
		const user = await createUser(server.app);
		for (let i = 0; i < 3; i++) await errorOf(wrongSignIn(`nobody${i}@example.com`));
		const blocked = await errorOf(createApiClient(server.url).signIn(user.email, user.password));
		expect(blocked.code).toBe('TOO_MANY_REQUESTS');
		expect(blocked.message).toMatch(/Try again in 1 minute\./);
		advance(60_000);
		await createApiClient(server.url).signIn(user.email, user.password);
	});

	it('counts parallel attempts at once: a burst cannot slip past the limit', async () => {
		const user = await createUser(server.app);
		const results = await Promise.all(
			Array.from({ length: account.limit + 5 }, () => errorOf(wrongSignIn(user.email)))
		);
		expect(results.filter((r) => r.code === 'UNAUTHORIZED')).toHaveLength(account.limit);
		expect(results.filter((r) => r.code === 'TOO_MANY_REQUESTS')).toHaveLength(5);
	});

	it('counts wrong current passwords at a password change', async () => {
		const user = await createUser(server.app);
		const client = createApiClient(server.url, { cookie: user.cookie });
		for (let i = 0; i < account.limit; i++) {
			await errorOf(
				client.trpc.auth.changePassword.mutate({
					currentPassword: 'guess guess',
					newPassword: 'new password'
				})
			);
		}
		const blocked = await errorOf(
			client.trpc.auth.changePassword.mutate({ currentPassword: user.password, newPassword: 'new password' })
		);
		expect(blocked.code).toBe('TOO_MANY_REQUESTS');
	});
});
