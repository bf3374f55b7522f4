import type { App } from '../app';
import { DEVICE_COOKIE, DEVICE_COOKIE_MAX_AGE_S } from './device';
import {
	SESSION_COOKIE,
	appOrigin,
	serializeCookie,
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
		now: app.authRuntime.now()
	});
}

/** The same, as name, value and options for SvelteKit's `cookies.set`. */
export function sessionCookie(
	app: App,
	requestUrl: string | URL,
	session: SessionCookieValue | null
): { name: string; value: string; options: CookieOptions } {
	const secure = usesSecureCookies(app, requestUrl);
	const options = sessionCookieOptions(secure, session?.expiresAt ?? null, app.authRuntime.now());
	return { name: SESSION_COOKIE, value: session?.token ?? '', options };
}

/** The device cookie (see device.ts): HttpOnly and SameSite like the session's, and long-lived. */
export function deviceCookie(
	app: App,
	requestUrl: string | URL,
	token: string
): { name: string; value: string; options: CookieOptions } {
	const options: CookieOptions = {
		httpOnly: true,
		sameSite: 'lax',
		path: '/',
		secure: usesSecureCookies(app, requestUrl),
		maxAge: DEVICE_COOKIE_MAX_AGE_S
	};
	return { name: DEVICE_COOKIE, value: token, options };
}

/** The same as a Set-Cookie header value, for tRPC's responses. */
export function deviceCookieHeader(app: App, requestUrl: string | URL, token: string): string {
	const cookie = deviceCookie(app, requestUrl, token);
	return serializeCookie(cookie.name, cookie.value, cookie.options);
}
