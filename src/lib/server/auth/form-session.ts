import type { RequestEvent } from '@sveltejs/kit';
import type { SignedIn, SignInContext } from '../services/auth-service';
import { sessionCookie } from './cookie';
import { SESSION_COOKIE } from './session';

/**
 * For the sign-in and sign-up form actions: runs `start` with the client's address and any
 * session cookie it presented (so that one is replaced, never reused), then sets the new cookie.
 */
export async function startFormSession(
	event: RequestEvent,
	start: (context: SignInContext) => Promise<SignedIn>
): Promise<void> {
	const { session } = await start({
		address: event.getClientAddress(),
		presentedToken: event.cookies.get(SESSION_COOKIE) ?? null
	});
	const cookie = sessionCookie(event.locals.app, event.url, session);
	event.cookies.set(cookie.name, cookie.value, cookie.options);
}
