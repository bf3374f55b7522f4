import type { App } from '../app';
import { appOrigin } from '../auth/session';
import { checkRequestOrigin, originRefusal } from '../auth/origin-guard';
import { handleTrpcRequest } from '../trpc/handler';

/**
 * The API as served outside SvelteKit (integration tests, any plain HTTP server): the same origin
 * guard hooks.server.ts applies, then tRPC, which authenticates the request itself.
 */
export function handleApiRequest(app: App, request: Request, clientAddress: string): Promise<Response> {
	const decision = checkRequestOrigin({
		method: request.method,
		headers: request.headers,
		appOrigin: appOrigin(app.config, request.url)
	});
	if (!decision.allowed) return Promise.resolve(originRefusal(new URL(request.url).pathname));
	return handleTrpcRequest(app, request, { clientAddress });
}
