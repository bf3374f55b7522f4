import type { RequestEvent } from '@sveltejs/kit';
import type { SignedIn, SignInContext } from '../services/auth-service';
import { deviceCookie, sessionCookie } from './cookie';
import { DEVICE_COOKIE } from './device';
import { SESSION_COOKIE } from './session';

/**
 * For the sign-in and sign-up form actions: runs `start` with the client's address and any
 * session cookie it presented (so that one is replaced, never reused) and its device cookie, then
 * sets the new session and device cookies.
 */
export async function startFormSession(
	event: RequestEvent,
	start: (context: SignInContext) => Promise<SignedIn>
): Promise<void> {
	const { session, deviceToken } = await start({
		address: event.getClientAddress(),
		presentedToken: event.cookies.get(SESSION_COOKIE) ?? null,
		deviceToken: event.cookies.get(DEVICE_COOKIE) ?? null
	});
	for (const cookie of [
		sessionCookie(event.locals.app, event.url, session),
		deviceCookie(event.locals.app, event.url, deviceToken)
	]) {
		event.cookies.set(cookie.name, cookie.value, cookie.options);
	}
}
