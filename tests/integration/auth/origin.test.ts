import { beforeEach, describe, expect, it } from 'vitest';
import { useApiServer } from '../../helpers/api-fixture';
import { createApiToken, createUser, type TestUser } from '../../helpers/auth-client';

/** A raw POST to a tRPC procedure, shaped like what a hostile page could send. */
function post(
	server: { url: string },
	path: string,
	headers: Record<string, string>,
	body = JSON.stringify({ json: null })
): Promise<Response> {
	return fetch(`${server.url}/api/trpc/${path}`, { method: 'POST', headers, body });
}

describe('origin guard on writes', () => {
	const server = useApiServer();
	let user: TestUser;

	beforeEach(async () => {
		user = await createUser(server.app);
	});

	const stillSignedIn = async () => (await server.as(user).trpc.auth.me.query())?.id === user.user.id;

	it('refuses cross-site JSON and text/plain posts carrying the cookie (403), and nothing happens', async () => {
		const attempts: Record<string, string>[] = [
			{ 'content-type': 'application/json', origin: 'https://evil.example', cookie: user.cookie },
			{ 'content-type': 'text/plain', origin: 'https://evil.example', cookie: user.cookie },
			{ 'content-type': 'text/plain', 'sec-fetch-site': 'cross-site', cookie: user.cookie },
			{ 'content-type': 'application/json', 'sec-fetch-site': 'same-site', cookie: user.cookie },
			// A cookie and no way to tell where the request comes from.
			{ 'content-type': 'application/json', cookie: user.cookie }
		];
		for (const headers of attempts) {
			const response = await post(server, 'auth.signOut', headers);
			expect(response.status, JSON.stringify(headers)).toBe(403);
			expect(await response.json()).toEqual({
				error: { code: 'FORBIDDEN', message: 'Cross-site request refused.' }
			});
		}
		expect(await stillSignedIn()).toBe(true);
	});

	it('refuses a cross-site sign-in (login CSRF) even without a cookie', async () => {
		const response = await post(
			server,
			'auth.signIn',
			{ 'content-type': 'text/plain', origin: 'https://evil.example' },
			JSON.stringify({ json: { email: user.email, password: user.password } })
		);
		expect(response.status).toBe(403);
		expect(response.headers.getSetCookie()).toEqual([]);
	});

	it('accepts same-origin posts, by Sec-Fetch-Site or by Origin', async () => {
		const bySite = await post(
			server,
			'auth.tokens.create',
			{
				'content-type': 'application/json',
				'sec-fetch-site': 'same-origin',
				cookie: user.cookie
			},
			JSON.stringify({ json: { name: 'a' } })
		);
		expect(bySite.status).toBe(200);
		const byOrigin = await post(
			server,
			'auth.tokens.create',
			{
				'content-type': 'application/json',
				origin: server.url,
				cookie: user.cookie
			},
			JSON.stringify({ json: { name: 'b' } })
		);
		expect(byOrigin.status).toBe(200);
	});

	it('exempts bearer requests, whatever their origin', async () => {
		const token = await createApiToken(server.app, user.user.id);
		const response = await post(server, 'auth.signOut', {
			'content-type': 'application/json',
			origin: 'https://elsewhere.example',
			authorization: `Bearer ${token}`
		});
		expect(response.status).toBe(200);
	});

	it('accepts scripts with no cookie and no browser headers (a CLI signing in)', async () => {
		const response = await post(
			server,
			'auth.signIn',
			{ 'content-type': 'application/json' },
			JSON.stringify({ json: { email: user.email, password: user.password } })
		);
		expect(response.status).toBe(200);
		expect(response.headers.getSetCookie()[0]).toMatch(/^switchboard_session=/);
	});

	it('refuses a mutation over GET', async () => {
		const response = await fetch(`${server.url}/api/trpc/auth.signOut`, { headers: { cookie: user.cookie } });
		expect(response.status).toBe(405);
		expect(response.headers.getSetCookie()).toEqual([]);
		expect(await stillSignedIn()).toBe(true);
	});

	it('answers malformed bodies with 400 and keeps serving', async () => {
		for (const body of ['', '{', '"x"', JSON.stringify({ json: { email: 42 } })]) {
			const response = await post(server, 'auth.signIn', { 'content-type': 'application/json' }, body);
			expect(response.status, body).toBe(400);
		}
		expect(await stillSignedIn()).toBe(true);
	});
});
