import { isHttpError, isRedirect, type Handle, type RequestEvent } from '@sveltejs/kit';
import { log } from '../log';
import { metrics } from './metrics';
import { requestIdFor, requestIdHeader } from './request-id';

/** A bounded label for the route: SvelteKit's route id, never the path (which holds ids). */
export function routeLabel(event: Pick<RequestEvent, 'route' | 'url'>): string {
	if (event.route.id) return event.route.id;
	return event.url.pathname.startsWith('/_app/') ? '/_app/[asset]' : 'unmatched';
}

/** The status a thrown redirect or error will be answered with, for the log line and the metric. */
function statusOfThrown(thrown: unknown): number {
	if (isRedirect(thrown)) return thrown.status;
	if (isHttpError(thrown)) return thrown.status;
	return 500;
}

/** One finished request: a metric sample and a JSON log line. */
export function recordRequest(entry: {
	requestId: string;
	method: string;
	route: string;
	status: number;
	ms: number;
	userId: string | null;
}): void {
	const { requestId, method, route, status, ms, userId } = entry;
	metrics().httpRequests.inc({ method, route, status: String(status) });
	metrics().httpDuration.observe({ method, route }, ms / 1000);
	log.info('request', { requestId, method, route, status, ms: Math.round(ms * 10) / 10, userId });
}

/**
 * One JSON line and one metric sample per request, with a request id that is accepted from a
 * proxy, generated otherwise, and returned on the response so a person can quote it. Outermost
 * in the hook sequence so redirects and errors thrown further in are counted too. (The lean
 * route, http/node-routes.ts, records its requests the same way.)
 */
export const requestLog: Handle = async ({ event, resolve }) => {
	const started = performance.now();
	const requestId = requestIdFor(event.request.headers);
	event.locals.requestId = requestId;
	const finish = (status: number) =>
		recordRequest({
			requestId,
			method: event.request.method,
			route: routeLabel(event),
			status,
			ms: performance.now() - started,
			userId: event.locals.user?.id ?? null
		});
	try {
		const response = await resolve(event);
		finish(response.status);
		try {
			response.headers.set(requestIdHeader, requestId);
		} catch {
			// A response with immutable headers (a proxied fetch) is passed on as it is.
		}
		return response;
	} catch (thrown) {
		finish(statusOfThrown(thrown));
		throw thrown;
	}
};
