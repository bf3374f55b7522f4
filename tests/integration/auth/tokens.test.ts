import { beforeEach, describe, expect, it } from 'vitest';
import { apiTokens } from '$lib/server/db/schema';
import { authenticateRequest, isStillAuthenticated } from '$lib/server/auth/authenticate';
import { useApiServer } from '../../helpers/api-fixture';
import { createApiToken, createUser, errorOf } from '../../helpers/auth-client';

describe('API tokens', () => {
	let now: Date;
	beforeEach(() => {
		now = new Date('2026-02-01T00:00:00Z');
	});
	const server = useApiServer({ now: () => now });

	it('creates (secret once), lists (hint only), authenticates and revokes at once', async () => {
		const user = await createUser(server.app);
		const browser = server.as(user);
		const created = await browser.trpc.auth.tokens.create.mutate({ name: ' CLI ' });
		expect(created).toEqual({
			id: expect.any(String),
			name: 'CLI',
			token: expect.stringMatching(/^sb_[a-z2-9]{40}$/)
		});

		const list = await browser.trpc.auth.tokens.list.query();
		expect(list).toEqual([
			{
				id: created.id,
				name: 'CLI',
				hint: created.token.slice(-4),
				createdAt: now,
				lastUsedAt: null,
				monthlyBudgetUsd: null,
				// Unless narrowed at creation: every scope, no expiry, any model.
				scopes: ['chat', 'completions', 'read'],
				expiresAt: null,
				allowedModels: []
			}
		]);
		expect(JSON.stringify(list)).not.toContain(created.token);
		const [row] = await server.testDb.handle.db.select().from(apiTokens);
		expect(JSON.stringify(row)).not.toContain(created.token);

		// A script with the token and no cookie, from anywhere.
		const sdk = server.client({ token: created.token, origin: null });
		expect((await sdk.trpc.auth.me.query())?.id).toBe(user.user.id);
		expect((await browser.trpc.auth.tokens.list.query())[0].lastUsedAt).toEqual(now);

		await browser.trpc.auth.tokens.revoke.mutate({ id: created.id });
		expect(await sdk.trpc.auth.me.query()).toBeNull();
		expect((await errorOf(sdk.trpc.auth.tokens.list.query())).code).toBe('UNAUTHORIZED');
		expect(await browser.trpc.auth.tokens.list.query()).toEqual([]);
	});

	it('updates lastUsedAt at most once a minute', async () => {
		const user = await createUser(server.app);
		const token = await createApiToken(server.app, user.user.id);
		const sdk = server.client({ token });
		await sdk.trpc.auth.me.query();
		const first = now;
		now = new Date(first.getTime() + 30_000);
		await sdk.trpc.auth.me.query();
		expect((await server.app.users.listTokens(user.user.id))[0].lastUsedAt).toEqual(first);
		now = new Date(first.getTime() + 61_000);
		await sdk.trpc.auth.me.query();
		expect((await server.app.users.listTokens(user.user.id))[0].lastUsedAt).toEqual(now);
	});

	it('an API token cannot manage tokens or change the password: a signed-in session must', async () => {
		const user = await createUser(server.app);
		const token = await createApiToken(server.app, user.user.id);
		const [row] = await server.app.users.listTokens(user.user.id);
		const sdk = server.client({ token });
		const refusals = [
			() => sdk.trpc.auth.tokens.create.mutate({ name: 'more' }),
			() => sdk.trpc.auth.tokens.list.query(),
			() => sdk.trpc.auth.tokens.revoke.mutate({ id: row.id }),
			() =>
				sdk.trpc.auth.changePassword.mutate({ currentPassword: user.password, newPassword: 'taken over!' })
		];
		for (const refusal of refusals) {
			expect(await errorOf(refusal())).toMatchObject({ code: 'FORBIDDEN', status: 403 });
		}
		// Nothing changed: one token, the old password, and the session still signed in.
		expect(await server.app.users.listTokens(user.user.id)).toHaveLength(1);
		await server.client().signIn(user.email, user.password);
		const browser = server.as(user);
		expect((await browser.trpc.auth.me.query())?.id).toBe(user.user.id);
		// The same calls from the session work.
		await browser.trpc.auth.tokens.revoke.mutate({ id: row.id });
		expect(await browser.trpc.auth.tokens.list.query()).toEqual([]);
	});

	it("keeps users' tokens apart: another user's id is NOT_FOUND", async () => {
		const alice = await createUser(server.app);
		const bob = await createUser(server.app);
		const aliceToken = await createApiToken(server.app, alice.user.id);
		const [aliceRow] = await server.app.users.listTokens(alice.user.id);
		const bobClient = server.as(bob);
		expect(await bobClient.trpc.auth.tokens.list.query()).toEqual([]);
		expect((await errorOf(bobClient.trpc.auth.tokens.revoke.mutate({ id: aliceRow.id }))).code).toBe(
			'NOT_FOUND'
		);
		expect((await server.client({ token: aliceToken }).trpc.auth.me.query())?.id).toBe(alice.user.id);
	});

	it('refuses wrong or malformed bearer tokens, and then ignores the cookie too', async () => {
		const user = await createUser(server.app);
		for (const token of ['sb_' + 'a'.repeat(40), 'nonsense', user.sessionToken + 'x']) {
			const client = server.client({ token, cookie: user.cookie });
			expect(await client.trpc.auth.me.query()).toBeNull();
		}
		// A session token works as a bearer (a CLI that signed in).
		expect((await server.client({ token: user.sessionToken }).trpc.auth.me.query())?.id).toBe(user.user.id);
	});

	it('authenticates a subscription through connectionParams.token, and stops at revocation', async () => {
		const user = await createUser(server.app);
		const token = await createApiToken(server.app, user.user.id);
		const request = new Request(`${server.url}/api/trpc/chats.stream`);
		const auth = await authenticateRequest(server.app, request, { connectionParams: { token } });
		expect(auth).toMatchObject({ via: 'token', user: { id: user.user.id } });
		expect(await isStillAuthenticated(server.app, auth!)).toBe(true);

		// A session token is not accepted there: connectionParams travel in the URL.
		const viaSession = await authenticateRequest(server.app, new Request(request), {
			connectionParams: { token: user.sessionToken }
		});
		expect(viaSession).toBeNull();

		await server.app.users.revokeToken(user.user.id, auth!.tokenId!);
		expect(await isStillAuthenticated(server.app, auth!)).toBe(false);
		expect(
			await authenticateRequest(server.app, new Request(request), { connectionParams: { token } })
		).toBeNull();
	});

	it('reaches tRPC context through connectionParams in the query string', async () => {
		const user = await createUser(server.app);
		const token = await createApiToken(server.app, user.user.id);
		const params = encodeURIComponent(JSON.stringify({ token }));
		const response = await fetch(`${server.url}/api/trpc/auth.me?connectionParams=${params}`);
		const body = (await response.json()) as { result: { data: { json: { id: string } | null } } };
		expect(body.result.data.json?.id).toBe(user.user.id);
	});
});
