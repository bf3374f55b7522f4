import { setTimeout as sleep } from 'node:timers/promises';
import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { bootApp, currentApp, shutdownApp } from '$lib/server/boot';
import type { Theme } from '$lib/schemas/preferences';
import { env } from '$lib/server/env';
import { authenticateRequest, readCredential } from '$lib/server/auth/authenticate';
import { sessionCookie } from '$lib/server/auth/cookie';
import { checkRequestOrigin, originRefusal } from '$lib/server/auth/origin-guard';
import { appOrigin } from '$lib/server/auth/session';
import { isDatabaseUnavailable } from '$lib/server/db/unavailable';
import { AppError } from '$lib/server/errors';
import { installNodeRoutes } from '$lib/server/http/node-routes';
import { handleServerError } from '$lib/server/observability/handle-error';
import { requestLog } from '$lib/server/observability/request-log';

export const init: ServerInit = async () => {
	await bootApp();
	// API traffic (/v1, tRPC) is answered by the Node server ahead of the hooks below (node-routes.ts).
	installNodeRoutes(currentApp);
	// The HTTP server stops accepting on SIGTERM/SIGINT (adapter-node, or scripts/start.mjs); here
	// running answers get SHUTDOWN_GRACE_MS to finish, then the database closes cleanly and we exit.
	for (const signal of ['SIGINT', 'SIGTERM'] as const) {
		process.once(signal, () => {
			// The short pause lets the sockets flush the streams' last bytes.
			void shutdownApp(env.SHUTDOWN_GRACE_MS)
				.then(() => sleep(200))
				.finally(() => process.exit(0));
		});
	}
};

/**
 * CSP (with frame-ancestors 'none') comes from svelte.config.js; these cover the rest. Every
 * response passes through here, so the handles after this one return responses rather than throw
 * them: a redirect or error thrown in a hook skips this handle and goes out bare. (scripts/start.mjs
 * sends the same list with static files, which SvelteKit serves before any hook.)
 */
const securityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	const headers: Record<string, string> = {
		'x-content-type-options': 'nosniff',
		'referrer-policy': 'same-origin',
		// For browsers that predate CSP's frame-ancestors.
		'x-frame-options': 'DENY'
	};
	try {
		for (const [name, value] of Object.entries(headers)) {
			if (!response.headers.has(name)) response.headers.set(name, value);
		}
	} catch {
		// A response with immutable headers (a proxied fetch) is passed on as it is.
	}
	return response;
};

const appHandle: Handle = async ({ event, resolve }) => {
	const app = currentApp();
	if (!app) return new Response('Switchboard is starting', { status: 503, headers: { 'retry-after': '1' } });
	event.locals.app = app;
	event.locals.user = null;
	return resolve(event);
};

/** Cross-site writes are refused before anything reads the cookie (see origin-guard.ts). */
const originGuard: Handle = async ({ event, resolve }) => {
	const decision = checkRequestOrigin({
		method: event.request.method,
		headers: event.request.headers,
		appOrigin: appOrigin(event.locals.app.config, event.url)
	});
	if (!decision.allowed) return originRefusal(event.url.pathname);
	return resolve(event);
};

/**
 * Puts the user (session cookie or bearer token) in locals, sends the cookie again when the
 * session slid forward, and clears a dead cookie. The tRPC handler reuses this authentication for
 * the same Request.
 */
const authHandle: Handle = async ({ event, resolve }) => {
	const app = event.locals.app;
	// The health check answers for the database itself, and /metrics has its own token: no user.
	if (event.url.pathname === '/healthz' || event.url.pathname === '/metrics') return resolve(event);
	let auth: Awaited<ReturnType<typeof authenticateRequest>> = null;
	try {
		// Pages and their form actions (account, tokens, password, admin) are the browser's: they
		// sign in by the session cookie only. A bearer token is for the API; on a page it signs in
		// no one, so a leaked API token cannot manage the account that made it.
		if (!(isPageRoute(event.route.id) && readCredential(event.request.headers)?.kind === 'bearer')) {
			auth = await authenticateRequest(app, event.request);
		}
	} catch (caught) {
		// An expired API token: no user here; the API and the compatible doors meet the same refusal
		// (remembered for this Request) and answer it in their own formats.
		if (caught instanceof AppError) return resolve(event);
		if (!isDatabaseUnavailable(caught)) throw caught;
		// The API answers in its own format (the tRPC handler meets the same failure); pages get a 503.
		if (event.url.pathname.startsWith('/api/')) return resolve(event);
		return new Response('The database is unavailable right now. Try again in a moment.', {
			status: 503,
			headers: { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '5' }
		});
	}
	event.locals.user = auth?.user ?? null;

	if (auth?.renewal) {
		const cookie = sessionCookie(app, event.url, auth.renewal);
		event.cookies.set(cookie.name, cookie.value, cookie.options);
	} else if (!auth && readCredential(event.request.headers)?.kind === 'cookie') {
		const cookie = sessionCookie(app, event.url, null);
		event.cookies.delete(cookie.name, cookie.options);
	}

	// Signed-out visitors of the app's pages are sent to /login by the (app) layout's load and by
	// each server load and action (guards.ts): redirects from there go out through resolve, with
	// the security headers and any cookie set above.
	return resolve(event, { transformPageChunk: ({ html }) => withTheme(html, event.locals.theme) });
};

/** The theme is in the first byte of HTML, so a dark page never flashes light before hydration. */
const THEME_PLACEHOLDER = '%switchboard.theme%';
function withTheme(html: string, theme: Theme | undefined): string {
	return html.replace(THEME_PLACEHOLDER, theme ?? 'system');
}

function isPageRoute(routeId: string | null): boolean {
	return !!routeId && (routeId.startsWith('/(app)') || routeId.startsWith('/(auth)'));
}

export const handle = sequence(securityHeaders, requestLog, appHandle, originGuard, authHandle);

export const handleError: HandleServerError = handleServerError;
