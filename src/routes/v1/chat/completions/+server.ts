import type { RequestHandler } from './$types';
import { answerFetch } from '$lib/server/compat/compat-request';
import { handleChatCompletions } from '$lib/server/compat/openai/handle-openai';

// The built app answers /v1 in its Node server, ahead of SvelteKit (http/node-routes.ts); these
// routes serve `vite dev` and any server without that lean route.
export const POST: RequestHandler = ({ locals, request, platform }) =>
	answerFetch(request, platform?.req, (compat) => handleChatCompletions(locals.app, compat));
