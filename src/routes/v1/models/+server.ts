import type { RequestHandler } from './$types';
import { answerFetch } from '$lib/server/compat/compat-request';
import { handleListModels } from '$lib/server/compat/openai/handle-openai';

export const GET: RequestHandler = ({ locals, request, platform }) =>
	answerFetch(request, platform?.req, (compat) => handleListModels(locals.app, compat));
