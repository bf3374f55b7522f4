import type { RequestHandler } from './$types';
import { handleChatCompletions } from '$lib/server/compat/openai/handle-openai';

export const POST: RequestHandler = ({ locals, request, platform }) =>
	handleChatCompletions(locals.app, request, platform?.req);
