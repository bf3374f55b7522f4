import { describe, expect, it } from 'vitest';
import { useApiServer } from '../../helpers/api-fixture';
import { countQueries } from '../../helpers/test-database';
import { createApiToken, createUser, errorOf } from '../../helpers/auth-client';

/*
 * Sessions and tokens come from a short in-memory cache (auth/auth-cache.ts). These tests hold the
 * two halves of that bargain: a repeated request costs no authentication query, and every change
 * that ends or narrows a credential takes effect on the very next request, not after the TTL.
 */
describe('authentication from the cache', () => {
	const server = useApiServer();

	it('answers a repeated bearer or cookie request without a query', async () => {
		const user = await createUser(server.app);
		const sdk = server.client({ token: await createApiToken(server.app, user.user.id) });
		const browser = server.as(user);
		// The first calls read the rows (and write the token's lastUsedAt once).
		await sdk.trpc.auth.me.query();
		await browser.trpc.auth.me.query();
		expect(await countQueries(() => sdk.trpc.auth.me.query())).toBe(0);
		expect(await countQueries(() => browser.trpc.auth.me.query())).toBe(0);
	});

	it('ends a signed-out session on the next request', async () => {
		const user = await createUser(server.app);
		const browser = server.as(user);
		const copied = server.as(user);
		expect((await copied.trpc.auth.me.query())?.id).toBe(user.user.id);
		await browser.trpc.auth.signOut.mutate();
		expect(await copied.trpc.auth.me.query()).toBeNull();
	});

	it('refuses a revoked token on the next request', async () => {
		const user = await createUser(server.app);
		const token = await createApiToken(server.app, user.user.id);
		const sdk = server.client({ token });
		const tokens = await server.as(user).trpc.auth.tokens.list.query();
		expect((await sdk.trpc.auth.me.query())?.id).toBe(user.user.id);
		await server.as(user).trpc.auth.tokens.revoke.mutate({
			id: tokens[0].id
		});
		expect(await sdk.trpc.auth.me.query()).toBeNull();
	});

	it('ends the other sessions on a password change, keeping the one that changed it', async () => {
		const user = await createUser(server.app);
		const other = (await server.signedIn()).client;
		const elsewhere = server.client({
			cookie: await server.client().signIn(user.email, user.password)
		});
		const here = server.as(user);
		expect((await elsewhere.trpc.auth.me.query())?.id).toBe(user.user.id);
		await here.trpc.auth.changePassword.mutate({
			currentPassword: user.password,
			newPassword: 'a new password that is long'
		});
		expect(await elsewhere.trpc.auth.me.query()).toBeNull();
		expect((await here.trpc.auth.me.query())?.id).toBe(user.user.id);
		expect(await other.trpc.auth.me.query()).not.toBeNull();
	});

	it('applies a role change and a disabled account to cached sessions and tokens at once', async () => {
		const admin = server.client({
			cookie: (await createUser(server.app, { role: 'admin' })).cookie
		});
		const user = await createUser(server.app);
		const browser = server.as(user);
		const sdk = server.client({ token: await createApiToken(server.app, user.user.id) });
		expect((await errorOf(sdk.trpc.users.list.query())).code).toBe('FORBIDDEN');
		expect((await errorOf(browser.trpc.users.list.query())).code).toBe('FORBIDDEN');

		await admin.trpc.users.update.mutate({ userId: user.user.id, role: 'admin' });
		expect(await sdk.trpc.users.list.query()).toHaveLength(2);
		expect((await browser.trpc.auth.me.query())?.role).toBe('admin');

		await admin.trpc.users.update.mutate({ userId: user.user.id, role: 'member' });
		expect((await errorOf(sdk.trpc.users.list.query())).code).toBe('FORBIDDEN');

		await admin.trpc.users.update.mutate({ userId: user.user.id, disabled: true });
		expect(await sdk.trpc.auth.me.query()).toBeNull();
		expect(await browser.trpc.auth.me.query()).toBeNull();
	});
});
