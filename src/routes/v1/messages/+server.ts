import type { RequestHandler } from './$types';
import { handleMessages } from '$lib/server/compat/anthropic/handle-anthropic';
import { answerFetch } from '$lib/server/compat/compat-request';

export const POST: RequestHandler = ({ locals, request, platform }) =>
	answerFetch(request, platform?.req, (compat) => handleMessages(locals.app, compat));
