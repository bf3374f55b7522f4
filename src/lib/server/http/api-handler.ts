import type { App } from '../app';
import { attachmentPath, serveAttachment } from '../attachments/serve-attachment';
import { authenticateRequest } from '../auth/authenticate';
import { AppError } from '../errors';
import { appOrigin } from '../auth/session';
import { checkRequestOrigin, originRefusal } from '../auth/origin-guard';
import { handleTrpcRequest } from '../trpc/handler';

/** The origin guard hooks.server.ts applies, for a request to `url`. */
export function originAllowed(app: App, method: string, headers: Headers, url: string): boolean {
	return checkRequestOrigin({ method, headers, appOrigin: appOrigin(app.config, url) }).allowed;
}

/**
 * The API as served outside SvelteKit (the lean route, integration tests): the same origin
 * guard hooks.server.ts applies, then tRPC, which authenticates the request itself (and the
 * attachment download route, as src/routes/api/attachments serves it).
 */
export function handleApiRequest(
	app: App,
	request: Request,
	clientAddress: string,
	requestId?: string
): Promise<Response> {
	const path = new URL(request.url).pathname;
	if (!originAllowed(app, request.method, request.headers, request.url))
		return Promise.resolve(originRefusal(path));
	const attachment = attachmentPath.exec(path);
	if (attachment && request.method === 'GET') {
		// An expired token signs no one in, as in hooks.server.ts.
		return authenticateRequest(app, request)
			.catch((error: unknown) => {
				if (error instanceof AppError) return null;
				throw error;
			})
			.then((auth) => serveAttachment(app, auth?.user ?? null, attachment[1]));
	}
	return handleTrpcRequest(app, request, { clientAddress, requestId });
}
