import type { IncomingMessage } from 'node:http';
import type { App } from '../app';
import { handleCountTokens, handleMessages } from './anthropic/handle-anthropic';
import { handleChatCompletions, handleGetModel, handleListModels } from './openai/handle-openai';

/**
 * The compatible APIs by path, for servers outside SvelteKit (integration tests); SvelteKit routes
 * each path to its own +server.ts, which calls the same handlers. Null when the path is not one of them.
 * `connection` is the Node request, as adapter-node gives it (`platform.req`).
 */
export function handleCompatRequest(
	app: App,
	request: Request,
	connection?: IncomingMessage
): Promise<Response> | null {
	const { pathname } = new URL(request.url);
	const method = request.method;
	if (method === 'POST' && pathname === '/v1/chat/completions')
		return handleChatCompletions(app, request, connection);
	if (method === 'POST' && pathname === '/v1/messages') return handleMessages(app, request, connection);
	if (method === 'POST' && pathname === '/v1/messages/count_tokens') return handleCountTokens(app, request);
	if (method === 'GET' && pathname === '/v1/models') return handleListModels(app, request);
	if (method === 'GET' && pathname.startsWith('/v1/models/')) {
		return handleGetModel(app, request, decodeURIComponent(pathname.slice('/v1/models/'.length)));
	}
	return null;
}
