import { redirect } from '@sveltejs/kit';
import { authenticateRequest } from '$lib/server/auth/authenticate';
import { sessionCookie } from '$lib/server/auth/cookie';
import type { RequestHandler } from './$types';

/**
 * Sign-out is a POST (a form in the sidebar): a GET could be triggered by any image tag. The
 * session is deleted on the server, so a copied cookie is dead too.
 */
export const POST: RequestHandler = async (event) => {
	const app = event.locals.app;
	const auth = await authenticateRequest(app, event.request);
	if (auth?.via === 'session' && auth.sessionId) await app.auth.signOut(auth.user.id, auth.sessionId);
	const cookie = sessionCookie(app, event.url, null);
	event.cookies.delete(cookie.name, cookie.options);
	redirect(303, '/login');
};
