import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import type { AuthUser } from '$lib/schemas/auth';
import { authenticateRequest } from './authenticate';

/**
 * For page loads and form actions: signed-out visitors go to /login, and back here afterwards.
 * The (app) layout's load does this for every page, but a page's load runs in parallel with its
 * layout's (and actions before both), so each server load and action that needs a user checks
 * for itself.
 */
export function requireUser(locals: App.Locals, url: URL): AuthUser {
	if (!locals.user) redirect(303, signInPath(url));
	return locals.user;
}

function signInPath(url: URL): string {
	const next = url.pathname + url.search;
	return next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`;
}

/**
 * For the account page and its actions (tokens, password): the user and the id of the signed-in
 * session they act from. An API token never gets here (hooks.server.ts signs pages in by the
 * session cookie only); this says so where it matters, whatever the hook does.
 */
export async function requireSession(event: RequestEvent): Promise<{ user: AuthUser; sessionId: string }> {
	const user = requireUser(event.locals, event.url);
	const auth = await authenticateRequest(event.locals.app, event.request);
	if (auth?.via !== 'session' || !auth.sessionId || auth.user.id !== user.id) {
		redirect(303, signInPath(event.url));
	}
	return { user, sessionId: auth.sessionId };
}

export function requireAdmin(locals: App.Locals, url: URL): AuthUser {
	const user = requireUser(locals, url);
	if (user.role !== 'admin') error(403, 'Only admins can open this page.');
	return user;
}

/**
 * Where to go after signing in: only a path on this site. `//evil.example` and `/\evil.example`
 * are protocol-relative URLs in browsers, so they are refused like absolute ones.
 */
export function safeNextPath(next: string | null): string {
	if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
	return next;
}
