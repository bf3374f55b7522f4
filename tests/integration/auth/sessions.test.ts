import { beforeEach, describe, expect, it } from 'vitest';
import { sessions } from '$lib/server/db/schema';
import { SESSION_INACTIVITY_MS, SESSION_RENEW_INTERVAL_MS } from '$lib/server/auth/session';
import { authenticateRequest } from '$lib/server/auth/authenticate';
import { useApiServer } from '../../helpers/api-fixture';
import { createUser, errorOf } from '../../helpers/auth-client';

describe('sessions', () => {
	let now: Date;
	beforeEach(() => {
		now = new Date('2026-01-01T00:00:00Z');
	});
	const server = useApiServer({ now: () => now });

	const advance = (ms: number) => {
		now = new Date(now.getTime() + ms);
	};

	it('slides: each use past the hour extends it, and 30 idle days end it', async () => {
		const user = await createUser(server.app);
		const client = server.as(user);

		// Within the hour: no write, no new cookie.
		advance(SESSION_RENEW_INTERVAL_MS - 1000);
		expect(await client.trpc.auth.me.query()).not.toBeNull();
		expect(client.lastSetCookies).toEqual([]);

		// Past the hour: lastVerifiedAt moves and the cookie is sent again with a fresh Max-Age.
		advance(2000);
		expect(await client.trpc.auth.me.query()).not.toBeNull();
		expect(client.lastSetCookies[0]).toMatch(/Max-Age=2592000/);
		const [row] = await server.testDb.handle.db.select().from(sessions);
		expect(row.lastVerifiedAt.getTime()).toBe(now.getTime());

		// 29 days idle after that: still in (it slid), and renewed again.
		advance(SESSION_INACTIVITY_MS - 24 * 3600_000);
		expect(await client.trpc.auth.me.query()).not.toBeNull();

		// Then 30 full days idle: out, and the row is gone.
		advance(SESSION_INACTIVITY_MS);
		expect(await client.trpc.auth.me.query()).toBeNull();
		expect(await server.testDb.handle.db.select().from(sessions)).toHaveLength(0);
	});

	it('ends the other sessions at a password change and keeps the current one', async () => {
		const user = await createUser(server.app, { password: 'old password 1' });
		const laptop = server.client();
		await laptop.signIn(user.email, 'old password 1');
		const phone = server.as(user);

		await laptop.trpc.auth.changePassword.mutate({
			currentPassword: 'old password 1',
			newPassword: 'new password 2'
		});
		expect((await laptop.trpc.auth.me.query())?.id).toBe(user.user.id);
		expect(await phone.trpc.auth.me.query()).toBeNull();

		expect((await errorOf(server.client().signIn(user.email, 'old password 1'))).code).toBe('UNAUTHORIZED');
		await server.client().signIn(user.email, 'new password 2');
	});

	it('refuses a password change with the wrong current password, and keeps the policy', async () => {
		const user = await createUser(server.app);
		const client = server.as(user);
		const wrong = await errorOf(
			client.trpc.auth.changePassword.mutate({ currentPassword: 'nope nope', newPassword: 'whatever 123' })
		);
		expect(wrong).toMatchObject({ code: 'BAD_REQUEST', message: 'Your current password is not correct.' });
		const weak = await errorOf(
			client.trpc.auth.changePassword.mutate({ currentPassword: user.password, newPassword: 'short' })
		);
		expect(weak.code).toBe('BAD_REQUEST');
		expect(await client.trpc.auth.me.query()).not.toBeNull();
	});

	it('needs a session for changePassword', async () => {
		const error = await errorOf(
			server.client().trpc.auth.changePassword.mutate({
				currentPassword: 'a',
				newPassword: 'bbbbbbbbbb'
			})
		);
		expect(error.code).toBe('UNAUTHORIZED');
	});

	it('authenticates a request once, even when asked twice (hooks, then the handler)', async () => {
		const user = await createUser(server.app);
		const request = new Request(`${server.url}/api/trpc/auth.me`, { headers: { cookie: user.cookie } });
		const first = authenticateRequest(server.app, request);
		const second = authenticateRequest(server.app, request);
		expect((await first)?.user.id).toBe(user.user.id);
		expect(await second).toEqual(await first);
		expect((await first)?.via).toBe('session');
	});
});
