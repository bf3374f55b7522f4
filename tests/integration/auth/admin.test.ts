import { describe, expect, it } from 'vitest';
import { useApiServer } from '../../helpers/api-fixture';
import { createApiToken, createUser, errorOf } from '../../helpers/auth-client';

describe('roles and account administration', () => {
	const server = useApiServer();

	it('gives members FORBIDDEN and anonymous callers UNAUTHORIZED on admin procedures', async () => {
		const member = await createUser(server.app);
		const asMember = server.as(member).trpc;
		expect((await errorOf(asMember.users.list.query())).code).toBe('FORBIDDEN');
		const update = asMember.users.update.mutate({ userId: member.user.id, role: 'admin' });
		expect(await errorOf(update)).toMatchObject({ code: 'FORBIDDEN', status: 403 });
		expect((await asMember.auth.me.query())?.role).toBe('member');

		const anonymous = server.client().trpc;
		expect(await errorOf(anonymous.users.list.query())).toMatchObject({ code: 'UNAUTHORIZED', status: 401 });
		// Tokens carry the user's role, no more.
		const token = await createApiToken(server.app, member.user.id);
		expect((await errorOf(server.client({ token }).trpc.users.list.query())).code).toBe('FORBIDDEN');
	});

	it('lists users without secrets and promotes a member', async () => {
		const admin = await createUser(server.app, { role: 'admin', name: 'Ada' });
		const member = await createUser(server.app);
		const asAdmin = server.as(admin).trpc;
		const list = await asAdmin.users.list.query();
		expect(list.map((u) => u.email)).toEqual([admin.email, member.email]);
		expect(list[0]).toEqual({
			id: admin.user.id,
			email: admin.email,
			name: 'Ada',
			role: 'admin',
			disabled: false,
			createdAt: expect.any(Date),
			monthlyBudgetUsd: null,
			maxConcurrent: null,
			requestsPerMinute: null
		});

		await asAdmin.users.update.mutate({ userId: member.user.id, role: 'admin' });
		// The role is read on every request: no need to sign in again.
		const asPromoted = server.as(member).trpc;
		expect(await asPromoted.users.list.query()).toHaveLength(2);
	});

	it('disables a user: sessions and tokens die at once, sign-in is refused; enabling lets them sign in', async () => {
		const admin = await createUser(server.app, { role: 'admin' });
		const member = await createUser(server.app);
		const token = await createApiToken(server.app, member.user.id);
		const browser = server.as(member).trpc;
		const sdk = server.client({ token }).trpc;
		expect(await browser.auth.me.query()).not.toBeNull();

		const asAdmin = server.as(admin).trpc;
		const updated = await asAdmin.users.update.mutate({ userId: member.user.id, disabled: true });
		expect(updated.disabled).toBe(true);

		expect(await browser.auth.me.query()).toBeNull();
		expect(await sdk.auth.me.query()).toBeNull();
		const signIn = await errorOf(server.client().signIn(member.email, member.password));
		expect(signIn).toMatchObject({
			code: 'FORBIDDEN',
			message: 'This account has been disabled. Ask an admin.'
		});

		await asAdmin.users.update.mutate({ userId: member.user.id, disabled: false });
		await server.client().signIn(member.email, member.password);
		// The old token stays revoked.
		expect(await sdk.auth.me.query()).toBeNull();
	});

	it('keeps a disabled user out at once even if a session row survived', async () => {
		const member = await createUser(server.app);
		const { users } = await import('$lib/server/db/schema');
		const { eq } = await import('drizzle-orm');
		await server.testDb.handle.db.update(users).set({ disabled: true }).where(eq(users.id, member.user.id));
		expect(await server.as(member).trpc.auth.me.query()).toBeNull();
	});

	it('stops admins from demoting or disabling themselves', async () => {
		const admin = await createUser(server.app, { role: 'admin' });
		const asAdmin = server.as(admin).trpc;
		expect((await errorOf(asAdmin.users.update.mutate({ userId: admin.user.id, role: 'member' }))).code).toBe(
			'CONFLICT'
		);
		expect((await errorOf(asAdmin.users.update.mutate({ userId: admin.user.id, disabled: true }))).code).toBe(
			'CONFLICT'
		);
		const missing = asAdmin.users.update.mutate({ userId: crypto.randomUUID(), role: 'admin' });
		expect((await errorOf(missing)).code).toBe('NOT_FOUND');
	});

	it('drops unknown fields: an admin update cannot set email or password', async () => {
		const admin = await createUser(server.app, { role: 'admin' });
		const member = await createUser(server.app);
		const asAdmin = server.as(admin).trpc;
		await asAdmin.users.update.mutate({
			userId: member.user.id,
			email: 'hijack@example.com',
			passwordHash: 'x'
		} as unknown as { userId: string });
		const [row] = (await asAdmin.users.list.query()).filter((u) => u.id === member.user.id);
		expect(row.email).toBe(member.email);
		await server.client().signIn(member.email, member.password);
	});
});
