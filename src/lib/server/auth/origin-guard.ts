import { SESSION_COOKIE, readCookie } from './session';

/*
 * Cross-site request forgery guard for everything that is not a plain read. SvelteKit checks the
 * origin of form posts only; tRPC posts JSON (and a cross-site page can still send text/plain),
 * so this runs for every request in hooks.server.ts and in handleApiRequest.
 *
 * - Safe methods (GET, HEAD, OPTIONS) pass: they change nothing (tRPC refuses mutations over GET).
 * - Bearer-token requests pass: a browser never attaches a token by itself, so they cannot be forged.
 * - A browser that says where the request comes from is believed: Sec-Fetch-Site must be
 *   `same-origin`, or (older browsers) Origin must equal the app's origin. This holds with or
 *   without a cookie, which also stops login CSRF (signing a victim into the attacker's account).
 * - A request carrying the session cookie but no such header is refused: it cannot prove where
 *   it comes from. Requests with neither (CLI, scripts signing in) pass: there is no ambient
 *   credential to abuse.
 */

export type OriginCheckInput = {
	method: string;
	headers: Headers;
	/** The app's own origin, e.g. `https://chat.example.com` (see appOrigin in session.ts). */
	appOrigin: string;
};

export type OriginDecision = { allowed: true } | { allowed: false; reason: string };

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

export function hasBearerToken(headers: Headers): boolean {
	return /^bearer\s+\S+/i.test(headers.get('authorization') ?? '');
}

export function checkRequestOrigin({ method, headers, appOrigin }: OriginCheckInput): OriginDecision {
	if (safeMethods.has(method.toUpperCase())) return { allowed: true };
	if (hasBearerToken(headers)) return { allowed: true };

	const fetchSite = headers.get('sec-fetch-site');
	if (fetchSite !== null) {
		return fetchSite === 'same-origin'
			? { allowed: true }
			: { allowed: false, reason: `Sec-Fetch-Site is ${fetchSite}` };
	}
	const origin = headers.get('origin');
	if (origin !== null) {
		return origin === appOrigin
			? { allowed: true }
			: { allowed: false, reason: 'Origin does not match the app' };
	}
	if (readCookie(headers.get('cookie'), SESSION_COOKIE) !== null) {
		return { allowed: false, reason: 'A cookie-authenticated write without Origin or Sec-Fetch-Site' };
	}
	return { allowed: true };
}

/** The response for a refused request: JSON for the API, text elsewhere. Says nothing more than why. */
export function originRefusal(pathname: string): Response {
	const message = 'Cross-site request refused.';
	if (pathname.startsWith('/api/')) {
		return Response.json({ error: { code: 'FORBIDDEN', message } }, { status: 403 });
	}
	return new Response(message, { status: 403, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}
