import type { RequestHandler } from './$types';
import { isProxied, metricsAccess } from '$lib/server/observability/metrics-access';
import { metrics } from '$lib/server/observability/metrics';

/** Prometheus scrape endpoint: METRICS_TOKEN as a bearer, or loopback when no token is set. */
export const GET: RequestHandler = async (event) => {
	const app = event.locals.app;
	const access = metricsAccess({
		token: app.config.METRICS_TOKEN,
		authorization: event.request.headers.get('authorization'),
		clientAddress: event.getClientAddress(),
		proxied: isProxied(event.request.headers)
	});
	if (access === 'not_found') return new Response('Not found', { status: 404 });
	if (access === 'unauthorized') {
		return new Response('Unauthorized', { status: 401, headers: { 'www-authenticate': 'Bearer' } });
	}
	const registry = metrics();
	registry.activeGenerations.set(app.generations.runningCount);
	registry.openSubscriptions.set(app.subscriptions.count);
	registry.dbUp.set(
		await app.database.ping().then(
			() => 1,
			() => 0
		)
	);
	return new Response(await registry.registry.metrics(), {
		headers: { 'content-type': registry.registry.contentType, 'cache-control': 'no-store' }
	});
};
