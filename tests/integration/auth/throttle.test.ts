import superjson from 'superjson';
import { beforeEach, describe, expect, it } from 'vitest';
import { configureAuth } from '$lib/server/auth/runtime';
import { useApiServer } from '../../helpers/api-fixture';
import { createUser, errorOf, type TestUser } from '../../helpers/auth-client';

type SignInAnswer = { status: number; retryAfter: string | null; cookies: string[] };

describe('sign-in throttling', () => {
	let now: Date;
	beforeEach(() => {
		now = new Date('2026-03-01T12:00:00Z');
	});
	const server = useApiServer({ now: () => now });

	const advance = (ms: number) => {
		now = new Date(now.getTime() + ms);
	};

	/** A sign-in over plain HTTP with the given cookies (`name=value`), as a browser would send them. */
	async function signIn(email: string, password: string, cookies: string[] = []): Promise<SignInAnswer> {
		const response = await fetch(`${server.url}/api/trpc/auth.signIn`, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				...(cookies.length ? { cookie: cookies.join('; ') } : {})
			},
			body: JSON.stringify(superjson.serialize({ email, password }))
		});
		await response.body?.cancel();
		const set = response.headers.getSetCookie().map((header) => header.split(';')[0]);
		return { status: response.status, retryAfter: response.headers.get('retry-after'), cookies: set };
	}

	const wrong = (email: string, cookies: string[] = []) => signIn(email, 'wrong password!', cookies);

	/** The device cookie a successful sign-in leaves in the browser. */
	async function knownDevice(user: TestUser): Promise<string[]> {
		const answer = await signIn(user.email, user.password);
		expect(answer.status).toBe(200);
		const device = answer.cookies.filter((c) => c.startsWith('switchboard_device='));
		expect(device).toHaveLength(1);
		return device;
	}

	it('slows an account with growing waits instead of locking it out for the window', async () => {
		const user = await createUser(server.app);
		for (let i = 0; i < 5; i++) expect((await wrong(user.email)).status).toBe(401);
		const blocked = await errorOf(server.client().signIn(user.email, user.password));
		expect(blocked).toMatchObject({ code: 'TOO_MANY_REQUESTS', status: 429, retryAfterMs: 1000 });
		expect(blocked.message).toBe('Too many failed sign-in attempts. Try again in 1 second.');
		advance(1000);
		expect((await wrong(user.email)).status).toBe(401);
		// Each further failure doubles the wait, sent as Retry-After too.
		expect(await wrong(user.email)).toMatchObject({ status: 429, retryAfter: '2' });
		advance(2000);
		expect((await signIn(user.email, user.password)).status).toBe(200);
		// A success clears the account's count.
		for (let i = 0; i < 5; i++) expect((await wrong(user.email)).status).toBe(401);
	});

	it('caps the wait at a few minutes, however long an attacker keeps guessing', async () => {
		const user = await createUser(server.app);
		for (let i = 0; i < 30; i++) {
			const answer = await wrong(user.email);
			if (answer.status === 429) advance(Number(answer.retryAfter) * 1000);
		}
		const answer = await wrong(user.email);
		expect(answer.status).toBe(429);
		expect(Number(answer.retryAfter)).toBeLessThanOrEqual(300);
	});

	it("lets the owner's known device in with the right password while strangers hammer the account", async () => {
		const user = await createUser(server.app);
		const device = await knownDevice(user);
		for (let i = 0; i < 10; i++) await wrong(user.email);
		expect((await signIn(user.email, user.password)).status).toBe(429);
		expect((await signIn(user.email, user.password, device)).status).toBe(200);
	});

	it('a device cookie is bound to its account and cannot be forged', async () => {
		const alice = await createUser(server.app);
		const bob = await createUser(server.app);
		const aliceDevice = await knownDevice(alice);
		for (let i = 0; i < 10; i++) await wrong(bob.email);
		expect((await signIn(bob.email, bob.password, aliceDevice)).status).toBe(429);
		const forged = aliceDevice[0].replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
		for (let i = 0; i < 10; i++) await wrong(alice.email);
		expect((await signIn(alice.email, alice.password, [forged])).status).toBe(429);
	});

	it('counts failures per address across accounts, but not against a known device', async () => {
		configureAuth(server.app, { throttle: { address: { kind: 'window', limit: 3, windowMs: 60_000 } } });
		const user = await createUser(server.app);
		const device = await knownDevice(user);
		for (let i = 0; i < 3; i++) expect((await wrong(`nobody${i}@example.com`)).status).toBe(401);
		const other = await createUser(server.app);
		const blocked = await errorOf(server.client().signIn(other.email, other.password));
		expect(blocked).toMatchObject({ code: 'TOO_MANY_REQUESTS', retryAfterMs: 60_000 });
		expect((await signIn(user.email, user.password, device)).status).toBe(200);
		advance(60_000);
		await server.client().signIn(other.email, other.password);
	});

	it('a known device that keeps failing is slowed on its own', async () => {
		const user = await createUser(server.app);
		const device = await knownDevice(user);
		for (let i = 0; i < 5; i++) expect((await wrong(user.email, device)).status).toBe(401);
		expect(await signIn(user.email, user.password, device)).toMatchObject({ status: 429, retryAfter: '1' });
	});

	it('counts parallel attempts at once: a burst cannot slip past the free attempts', async () => {
		const user = await createUser(server.app);
		const results = await Promise.all(Array.from({ length: 10 }, () => wrong(user.email)));
		expect(results.filter((r) => r.status === 401)).toHaveLength(5);
		expect(results.filter((r) => r.status === 429)).toHaveLength(5);
	});

	it('never throttles a signed-in password change because of failed sign-ins', async () => {
		configureAuth(server.app, { throttle: { address: { kind: 'window', limit: 3, windowMs: 60_000 } } });
		const user = await createUser(server.app);
		for (let i = 0; i < 10; i++) await wrong(user.email);
		const client = server.as(user);
		await client.trpc.auth.changePassword.mutate({
			currentPassword: user.password,
			newPassword: 'a new password'
		});
	});

	it('slows wrong current passwords at a password change, per session', async () => {
		const user = await createUser(server.app);
		const client = server.as(user);
		const change = (currentPassword: string) =>
			client.trpc.auth.changePassword.mutate({ currentPassword, newPassword: 'a new password' });
		for (let i = 0; i < 5; i++) expect((await errorOf(change('guess guess'))).code).toBe('BAD_REQUEST');
		const blocked = await errorOf(change(user.password));
		expect(blocked).toMatchObject({ code: 'TOO_MANY_REQUESTS', retryAfterMs: 1000 });
		expect(blocked.message).toBe('Too many wrong passwords. Try again in 1 second.');
		// Sign-in is not affected by a session's wrong guesses.
		expect((await signIn(user.email, user.password)).status).toBe(200);
		advance(1000);
		await change(user.password);
	});
});

describe('sign-up throttling', () => {
	let now: Date;
	beforeEach(() => {
		now = new Date('2026-03-01T12:00:00Z');
	});
	const server = useApiServer({ now: () => now, config: { SIGNUP_LIMIT: 3 } });

	it('limits sign-ups per address per hour (SIGNUP_LIMIT), failed ones included', async () => {
		const signUp = (i: number) => server.client().signUp(`new${i}@example.com`, 'long enough password');
		await signUp(0);
		await signUp(1);
		expect((await errorOf(signUp(1))).code).toBe('CONFLICT');
		const blocked = await errorOf(signUp(2));
		expect(blocked).toMatchObject({ code: 'TOO_MANY_REQUESTS', status: 429, retryAfterMs: 60 * 60_000 });
		expect(blocked.message).toBe('Too many sign-ups from your network. Try again in 60 minutes.');
		now = new Date(now.getTime() + 60 * 60_000);
		await signUp(2);
	});
});
