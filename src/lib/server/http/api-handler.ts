import type { App } from '../app';
import { attachmentPath, serveAttachment } from '../attachments/serve-attachment';
import { authenticateRequest } from '../auth/authenticate';
import { appOrigin } from '../auth/session';
import { checkRequestOrigin, originRefusal } from '../auth/origin-guard';
import { handleTrpcRequest } from '../trpc/handler';

/**
 * The API as served outside SvelteKit (integration tests, any plain HTTP server): the same origin
 * guard hooks.server.ts applies, then tRPC, which authenticates the request itself (and the
 * attachment download route, as src/routes/api/attachments serves it).
 */
export function handleApiRequest(app: App, request: Request, clientAddress: string): Promise<Response> {
	const decision = checkRequestOrigin({
		method: request.method,
		headers: request.headers,
		appOrigin: appOrigin(app.config, request.url)
	});
	const path = new URL(request.url).pathname;
	if (!decision.allowed) return Promise.resolve(originRefusal(path));
	const attachment = attachmentPath.exec(path);
	if (attachment && request.method === 'GET') {
		return authenticateRequest(app, request).then((auth) =>
			serveAttachment(app, auth?.user ?? null, attachment[1])
		);
	}
	return handleTrpcRequest(app, request, { clientAddress });
}
