import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import type { App } from '../app';
import { authenticateRequest } from '../auth/authenticate';
import { sessionCookieHeader } from '../auth/cookie';
import { requestIdFor, requestIdHeader } from '../observability/request-id';
import { createContext, type ContextUser } from './context';
import { appRouter } from './router';

export const trpcEndpoint = '/api/trpc';

/**
 * Serves one tRPC request. The SvelteKit route and the integration tests both call this.
 * Without `extra.user` (tests, anything outside hooks.server.ts) it authenticates the request
 * itself and renews the session cookie as hooks.server.ts would. With it, the authentication
 * hooks.server.ts already did for this same Request is reused (it is remembered per Request).
 */
export async function handleTrpcRequest(
	app: App,
	req: Request,
	extra: { clientAddress: string; user?: ContextUser | null; requestId?: string }
): Promise<Response> {
	// A failure here (the database is down) is raised inside createContext below, so tRPC answers
	// it in its own format through the error formatter rather than as a bare 500.
	const authResult = await authenticateRequest(app, req).then(
		(auth) => ({ ok: true as const, auth }),
		(error: unknown) => ({ ok: false as const, error })
	);
	const auth = authResult.ok ? authResult.auth : null;
	const renewal = extra.user === undefined ? auth?.renewal : null;
	// hooks.server.ts gave the request its id; a direct caller (tests) gets one made the same way.
	const requestId = extra.requestId ?? requestIdFor(req.headers);
	return fetchRequestHandler({
		endpoint: trpcEndpoint,
		req,
		router: appRouter,
		// tRPC's batch GETs can be queries only: a mutation over GET is refused by tRPC itself.
		allowMethodOverride: false,
		createContext: ({ resHeaders, info }) => {
			resHeaders.set(requestIdHeader, requestId);
			if (!authResult.ok) throw authResult.error;
			if (renewal) resHeaders.append('set-cookie', sessionCookieHeader(app, req.url, renewal));
			return createContext({
				app,
				req,
				resHeaders,
				clientAddress: extra.clientAddress,
				requestId,
				user: extra.user,
				auth,
				connectionParams: (info.connectionParams as Record<string, string> | null) ?? null
			});
		}
	});
}
