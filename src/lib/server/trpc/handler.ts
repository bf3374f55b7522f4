import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import type { App } from '../app';
import { authenticateRequest, readCredential } from '../auth/authenticate';
import { sessionCookieHeader } from '../auth/cookie';
import { requestIdFor, requestIdHeader } from '../observability/request-id';
import { createContext, type Context, type ContextUser } from './context';
import { ContextFailure } from './context-failure';
import { MAX_BATCH_SIZE } from '$lib/schemas/api-limits';
import { acquireSlot, releaseWhenSent, requestKind, tooManyRequests } from './request-limits';
import { appRouter } from './router';

export const trpcEndpoint = '/api/trpc';

/** What a tRPC request needs before its procedure runs: its id, its context, its slot. */
export type PreparedCall = {
	requestId: string;
	/**
	 * The procedure's context, or a ContextFailure (authentication failed, too many requests) that
	 * tRPC answers in its own format. Sets the response headers the context owes (request id,
	 * retry-after, a renewed session cookie).
	 */
	createContext(resHeaders: Headers, connectionParams: Record<string, string> | null): Promise<Context>;
	/** Gives the client's slot back (once); null when it had none left. */
	release: (() => void) | null;
};

/**
 * Authenticates a tRPC request and takes one of its client's slots. Without `extra.user` (tests,
 * the lean route) it authenticates the request itself and renews or clears the session cookie as
 * hooks.server.ts would. With it, the authentication hooks.server.ts already did for this same
 * Request is reused (it is remembered per Request). Each client may have only so many requests and
 * subscriptions open at once (request-limits.ts).
 */
export async function prepareTrpcCall(
	app: App,
	req: Request,
	extra: { clientAddress: string; user?: ContextUser | null; requestId?: string }
): Promise<PreparedCall> {
	// A failure here (the database is down) is raised inside createContext, so tRPC answers it in
	// its own format through the error formatter rather than as a bare 500.
	const authResult = await authenticateRequest(app, req).then(
		(auth) => ({ ok: true as const, auth }),
		(error: unknown) => ({ ok: false as const, error })
	);
	const auth = authResult.ok ? authResult.auth : null;
	// Without `extra.user` nothing before this has seen the cookie: it is renewed, or cleared when
	// it no longer signs anyone in, here (as hooks.server.ts does for SvelteKit's requests).
	const ownCookie = extra.user === undefined;
	const renewal = ownCookie ? auth?.renewal : null;
	const deadCookie = ownCookie && authResult.ok && !auth && readCredential(req.headers)?.kind === 'cookie';
	// hooks.server.ts gave the request its id; a direct caller (tests) gets one made the same way.
	const requestId = extra.requestId ?? requestIdFor(req.headers);
	// Counted per user when signed in (whatever the address), else per address.
	const client = auth ? `user:${auth.user.id}` : `address:${extra.clientAddress}`;
	const kind = requestKind(req);
	const release = await acquireSlot(app, client, kind);
	return {
		requestId,
		release,
		async createContext(resHeaders, connectionParams) {
			resHeaders.set(requestIdHeader, requestId);
			if (!authResult.ok) throw new ContextFailure(requestId, authResult.error);
			if (!release) {
				// Thrown here so tRPC answers in its own format (a batch gets one error per call).
				resHeaders.set('retry-after', '1');
				throw new ContextFailure(requestId, tooManyRequests(kind));
			}
			if (renewal) resHeaders.append('set-cookie', sessionCookieHeader(app, req.url, renewal));
			else if (deadCookie) resHeaders.append('set-cookie', sessionCookieHeader(app, req.url, null));
			return createContext({
				app,
				req,
				resHeaders,
				clientAddress: extra.clientAddress,
				requestId,
				user: extra.user,
				auth,
				connectionParams
			});
		}
	};
}

/** Serves one tRPC request. The SvelteKit route, the lean route and the integration tests call this. */
export async function handleTrpcRequest(
	app: App,
	req: Request,
	extra: { clientAddress: string; user?: ContextUser | null; requestId?: string }
): Promise<Response> {
	const call = await prepareTrpcCall(app, req, extra);
	const response = fetchRequestHandler({
		endpoint: trpcEndpoint,
		req,
		router: appRouter,
		// tRPC's batch GETs can be queries only: a mutation over GET is refused by tRPC itself.
		allowMethodOverride: false,
		// Larger batches get 400: one request must not carry unbounded work.
		maxBatchSize: MAX_BATCH_SIZE,
		createContext: ({ resHeaders, info }) =>
			call.createContext(resHeaders, (info.connectionParams as Record<string, string> | null) ?? null)
	});
	const { release } = call;
	if (!release) return response;
	return response.then(
		(sent) => releaseWhenSent(sent, release),
		(error: unknown) => {
			release();
			throw error;
		}
	);
}
