import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { users } from '$lib/server/db/schema';
import { useApiServer } from '../../helpers/api-fixture';
import { createUser, errorOf } from '../../helpers/auth-client';

const password = 'long enough password';

describe('sign-up, sign-in, sign-out over HTTP', () => {
	const server = useApiServer();

	it('signs up, answers me, signs out and signs back in', async () => {
		const client = server.client();
		expect(await client.trpc.auth.me.query()).toBeNull();

		const cookie = await client.signUp(' Ann@Example.COM ', password, 'Ann');
		expect(cookie).toMatch(/^switchboard_session=[a-z2-9]{24}\.[a-z2-9]{24}$/);
		const me = await client.trpc.auth.me.query();
		expect(me).toEqual({ id: expect.any(String), email: 'ann@example.com', name: 'Ann', role: 'admin' });

		await client.trpc.auth.signOut.mutate();
		expect(client.cookie).toBeUndefined();
		expect(await client.trpc.auth.me.query()).toBeNull();

		await client.signIn('ANN@example.com', password);
		expect((await client.trpc.auth.me.query())?.email).toBe('ann@example.com');
	});

	it('returns the user but never the token or hash in the body', async () => {
		const client = server.client();
		const body = await fetch(`${server.url}/api/trpc/auth.signUp`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', origin: server.url },
			body: JSON.stringify({ json: { email: 'a@example.com', password } })
		});
		const text = await body.text();
		const token = body.headers.getSetCookie()[0].split(';')[0].split('=')[1];
		expect(text).not.toContain(token);
		expect(text).not.toContain('argon2');
		expect(client).toBeDefined();
	});

	it('makes the first account admin and later ones members, whatever the input says', async () => {
		await server.client().signUp('first@example.com', password);
		const second = server.client();
		// Unknown fields are dropped by zod: no mass assignment of the role.
		await second.trpc.auth.signUp.mutate({
			email: 'second@example.com',
			password,
			role: 'admin',
			disabled: false
		} as unknown as { email: string; password: string });
		expect((await second.trpc.auth.me.query())?.role).toBe('member');
	});

	it('lets only one of two racing first sign-ups become admin', async () => {
		const clients = [0, 1, 2, 3].map(() => server.client());
		await Promise.all(clients.map((c, i) => c.signUp(`racer${i}@example.com`, password)));
		const roles = await server.testDb.handle.db.select({ role: users.role }).from(users);
		expect(roles.filter((r) => r.role === 'admin')).toHaveLength(1);
		expect(roles).toHaveLength(4);
	});

	it('refuses a taken email with CONFLICT', async () => {
		await server.client().signUp('taken@example.com', password);
		const error = await errorOf(server.client().signUp('TAKEN@example.com', password));
		expect(error.code).toBe('CONFLICT');
	});

	it('enforces 8 to 256 characters, counts Unicode characters, and never truncates', async () => {
		const short = await errorOf(server.client().signUp('s@example.com', 'seven77'));
		expect(short.code).toBe('BAD_REQUEST');
		const long = await errorOf(server.client().signUp('l@example.com', 'x'.repeat(257)));
		expect(long.code).toBe('BAD_REQUEST');

		// 8 emoji are 16 UTF-16 units but 8 characters: allowed.
		const emoji = '🔑🔒🗝️🔐'.padEnd(16, '🔑');
		await server.client().signUp('emoji@example.com', emoji);

		// 256 characters where only the last differs: the whole password counts.
		const longPassword = 'a'.repeat(255) + 'b';
		await server.client().signUp('max@example.com', longPassword);
		const wrongTail = await errorOf(server.client().signIn('max@example.com', 'a'.repeat(256)));
		expect(wrongTail.code).toBe('UNAUTHORIZED');
		await server.client().signIn('max@example.com', longPassword);
		// Spaces are kept, not trimmed.
		await server.client().signUp('space@example.com', ' padded password ');
		expect((await errorOf(server.client().signIn('space@example.com', 'padded password'))).code).toBe(
			'UNAUTHORIZED'
		);
	});

	it('gives an unknown email and a wrong password the same answer', async () => {
		await server.client().signUp('known@example.com', password);
		const wrong = await errorOf(server.client().signIn('known@example.com', 'not the password'));
		const unknown = await errorOf(server.client().signIn('nobody@example.com', 'not the password'));
		expect(wrong).toEqual(unknown);
		expect(wrong).toMatchObject({ code: 'UNAUTHORIZED', message: 'Incorrect email or password.' });
	});

	it('sets the cookie HttpOnly, SameSite=Lax, Path=/ and not Secure over http', async () => {
		const client = server.client();
		await client.signUp('c@example.com', password);
		const [setCookie] = client.lastSetCookies;
		expect(setCookie).toMatch(/^switchboard_session=[^;]+; /);
		expect(setCookie).toContain('HttpOnly');
		expect(setCookie).toContain('SameSite=Lax');
		expect(setCookie).toContain('Path=/');
		// 30 days of inactivity, give or take the second the request took.
		const maxAge = Number(/Max-Age=(\d+)/.exec(setCookie)?.[1]);
		expect(Math.abs(maxAge - 30 * 24 * 3600)).toBeLessThan(5);
		expect(setCookie).not.toContain('Secure');

		await client.trpc.auth.signOut.mutate();
		expect(client.lastSetCookies[0]).toMatch(/^switchboard_session=; .*Max-Age=0/);
	});

	it('ends the session on the server at sign-out: the old cookie is dead even if kept', async () => {
		const client = server.client();
		const cookie = await client.signUp('out@example.com', password);
		await client.trpc.auth.signOut.mutate();
		const replay = server.client({ cookie });
		expect(await replay.trpc.auth.me.query()).toBeNull();
	});

	it('starts a new session at every sign-in and kills a planted one', async () => {
		const victim = await createUser(server.app, { email: 'victim@example.com' });
		// Someone planted a session cookie in the victim's browser (their own, or one they know).
		const planted = await createUser(server.app, { email: 'attacker@example.com' });
		const browser = server.as(planted);
		await browser.signIn(victim.email, victim.password);
		expect(browser.cookie).not.toBe(planted.cookie);
		expect(browser.cookie?.split('.')[0]).not.toBe(planted.cookie.split('.')[0]);
		expect((await browser.trpc.auth.me.query())?.email).toBe('victim@example.com');
		// The planted id authenticates nobody any more.
		expect(await server.as(planted).trpc.auth.me.query()).toBeNull();

		// Signing in twice gives two different sessions.
		const a = await server.client().signIn(victim.email, victim.password);
		const b = await server.client().signIn(victim.email, victim.password);
		expect(a).not.toBe(b);
	});

	it('ignores a forged session cookie', async () => {
		const user = await createUser(server.app);
		const [name, token] = user.cookie.split('=');
		const [id] = token.split('.');
		const forged = `${name}=${id}.${'a'.repeat(24)}`;
		expect(await server.client({ cookie: forged }).trpc.auth.me.query()).toBeNull();
		expect(await server.client({ cookie: `${name}=garbage` }).trpc.auth.me.query()).toBeNull();
	});

	it('stores only a hash of the session secret', async () => {
		const user = await createUser(server.app);
		const secret = user.sessionToken.split('.')[1];
		const rows = await server.testDb.handle.db.query.sessions.findMany();
		expect(JSON.stringify(rows)).not.toContain(secret);
		const [row] = await server.testDb.handle.db.select().from(users).where(eq(users.id, user.user.id));
		expect(row.passwordHash).toMatch(/^\$argon2id\$/);
	});
});

describe('sign-up with ALLOW_SIGNUP=false', () => {
	const server = useApiServer({ config: { ALLOW_SIGNUP: false } });

	it('still creates the first admin, then refuses', async () => {
		await server.client().signUp('owner@example.com', password);
		const error = await errorOf(server.client().signUp('late@example.com', password));
		expect(error.code).toBe('FORBIDDEN');
		expect(error.message).toMatch(/closed/);
		// Existing accounts still sign in.
		await server.client().signIn('owner@example.com', password);
	});
});

describe('sign-up when the app origin is https', () => {
	const server = useApiServer({ config: { ORIGIN: 'https://chat.example.com' } });

	it('marks the cookie Secure', async () => {
		const client = server.client({ origin: 'https://chat.example.com' });
		await client.signUp('secure@example.com', password);
		expect(client.lastSetCookies[0]).toMatch(/; Secure/);
	});
});
