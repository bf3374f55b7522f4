import type { App } from '../app';
import { authRuntime } from './runtime';
import {
	SESSION_COOKIE,
	appOrigin,
	sessionCookieOptions,
	sessionSetCookie,
	type CookieOptions
} from './session';

/** Secure cookies whenever the app's origin is https; plain http (localhost, tests) would drop them. */
export function usesSecureCookies(app: App, requestUrl: string | URL): boolean {
	return appOrigin(app.config, requestUrl).startsWith('https:');
}

export type SessionCookieValue = { token: string; expiresAt: Date };

/** A Set-Cookie header value storing `session`, or clearing the cookie when it is null. */
export function sessionCookieHeader(
	app: App,
	requestUrl: string | URL,
	session: SessionCookieValue | null
): string {
	return sessionSetCookie(session?.token ?? null, {
		secure: usesSecureCookies(app, requestUrl),
		expiresAt: session?.expiresAt ?? null,
		now: authRuntime(app).now()
	});
}

/** The same, as name, value and options for SvelteKit's `cookies.set`. */
export function sessionCookie(
	app: App,
	requestUrl: string | URL,
	session: SessionCookieValue | null
): { name: string; value: string; options: CookieOptions } {
	const secure = usesSecureCookies(app, requestUrl);
	const options = sessionCookieOptions(secure, session?.expiresAt ?? null, authRuntime(app).now());
	return { name: SESSION_COOKIE, value: session?.token ?? '', options };
}
