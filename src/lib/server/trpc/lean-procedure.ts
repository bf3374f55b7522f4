import type { AnyProcedure } from '@trpc/server';
import { trpcEndpoint } from './handler';
import { appRouter } from './router';

/*
 * What the lean route's tRPC answers (lean-call.ts, lean-subscription.ts) read of the router, the way
 * tRPC's own adapter reads it.
 */

/** The router's runtime config: its transformer, error formatter and SSE settings. */
export const routerConfig = appRouter._def._config;

// Keyed by dotted path at run time (what tRPC's own lookup reads), whatever the nested type says.
const procedures = appRouter._def.procedures as unknown as Record<string, AnyProcedure | undefined>;

export type ProcedureTarget = { path: string; type: AnyProcedure['_def']['type'] };

/** The procedure a URL under the tRPC endpoint names; null for another path, one that does not decode, or none. */
export function procedureAt(url: URL): ProcedureTarget | null {
	if (!url.pathname.startsWith(`${trpcEndpoint}/`)) return null;
	let path: string;
	try {
		path = decodeURIComponent(url.pathname.slice(trpcEndpoint.length + 1));
	} catch {
		return null;
	}
	const type = Object.hasOwn(procedures, path) ? procedures[path]?._def.type : undefined;
	return type ? { path, type } : null;
}
