import type { App } from '../app';
import { handleCountTokens, handleMessages } from './anthropic/handle-anthropic';
import { handleChatCompletions, handleGetModel, handleListModels } from './openai/handle-openai';
import type { CompatRequest } from './compat-request';
import type { CompatReply } from './reply';

export type CompatRoute = {
	/** The route as SvelteKit names it (src/routes/v1/…), for the request log and the metrics. */
	label: string;
	handle(app: App, request: CompatRequest): Promise<CompatReply>;
};

const routes: Record<string, CompatRoute> = {
	'POST /v1/chat/completions': { label: '/v1/chat/completions', handle: handleChatCompletions },
	'POST /v1/messages': { label: '/v1/messages', handle: handleMessages },
	'POST /v1/messages/count_tokens': { label: '/v1/messages/count_tokens', handle: handleCountTokens },
	'GET /v1/models': { label: '/v1/models', handle: handleListModels }
};

const modelPrefix = '/v1/models/';

/**
 * The compatible API that answers this method and path, or null, for the Node server's lean route
 * (http/node-routes.ts). SvelteKit routes each path to its own +server.ts, which calls the same
 * handlers (for `vite dev`).
 */
export function compatRoute(method: string, pathname: string): CompatRoute | null {
	const route = routes[`${method} ${pathname}`];
	if (route) return route;
	if (method === 'GET' && pathname.startsWith(modelPrefix)) {
		return {
			label: '/v1/models/[...id]',
			handle: (app, request) =>
				handleGetModel(app, request, decodedModelId(pathname.slice(modelPrefix.length)))
		};
	}
	return null;
}

/** A model id from the path; one with a stray `%` is looked up as sent (and not found). */
function decodedModelId(encoded: string): string {
	try {
		return decodeURIComponent(encoded);
	} catch {
		return encoded;
	}
}
