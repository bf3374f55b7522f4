import { error, redirect } from '@sveltejs/kit';
import type { AuthUser } from '$lib/schemas/auth';

/**
 * For page loads and form actions. hooks.server.ts already sends signed-out visitors of (app)
 * pages to /login, but a page's load runs in parallel with its layout's, so each server load
 * and action that needs a user checks for itself.
 */
export function requireUser(locals: App.Locals, url: URL): AuthUser {
	if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
	return locals.user;
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
