import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import type { App } from '../app';
import { createContext, type ContextUser } from './context';
import { appRouter } from './router';

export const trpcEndpoint = '/api/trpc';

/** Serves one tRPC request. The SvelteKit route and the integration tests both call this. */
export function handleTrpcRequest(
	app: App,
	req: Request,
	extra: { clientAddress: string; user?: ContextUser | null }
): Promise<Response> {
	return fetchRequestHandler({
		endpoint: trpcEndpoint,
		req,
		router: appRouter,
		// tRPC's batch GETs can be queries only: a mutation over GET is refused by tRPC itself.
		allowMethodOverride: false,
		createContext: ({ resHeaders, info }) =>
			createContext({
				app,
				req,
				resHeaders,
				clientAddress: extra.clientAddress,
				user: extra.user,
				connectionParams: (info.connectionParams as Record<string, string> | null) ?? null
			})
	});
}
