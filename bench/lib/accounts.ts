import { createTRPCClient, httpBatchLink } from '@trpc/client';
import superjson from 'superjson';
import type { AppRouter } from '../../src/lib/server/trpc/router';

export type Account = { email: string; cookie: string; token: string };

/** `name=value` of the first non-empty cookie a response set (the app sets only its session cookie). */
function cookieFrom(setCookies: string[]): string | null {
	for (const header of setCookies) {
		const pair = header.split(';')[0].trim();
		const value = pair.slice(pair.indexOf('=') + 1);
		if (value && !/max-age=0/i.test(header)) return pair;
	}
	return null;
}

/**
 * Signs up over HTTP as a browser would (Origin header; the session comes back in Set-Cookie), then
 * creates an API token from that session for the SDK. The first account of a fresh install is the admin.
 */
export async function signUpWithToken(baseUrl: string, email: string, password: string): Promise<Account> {
	let cookie: string | null = null;
	const client = createTRPCClient<AppRouter>({
		links: [
			httpBatchLink({
				url: `${baseUrl}/api/trpc`,
				transformer: superjson,
				headers: () => ({ origin: baseUrl, ...(cookie ? { cookie } : {}) }),
				fetch: async (url, init) => {
					const response = await fetch(url, init as RequestInit);
					cookie = cookieFrom(response.headers.getSetCookie()) ?? cookie;
					return response;
				}
			})
		]
	});
	await client.auth.signUp.mutate({ email, password, name: 'bench' });
	if (!cookie) throw new Error(`sign-up of ${email} set no session cookie`);
	const { token } = await client.auth.tokens.create.mutate({ name: 'bench' });
	return { email, cookie, token };
}
