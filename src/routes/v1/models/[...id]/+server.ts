import type { RequestHandler } from './$types';
import { answerFetch } from '$lib/server/compat/compat-request';
import { handleGetModel } from '$lib/server/compat/openai/handle-openai';

// A rest parameter: model names are `provider/model`, and model ids may hold slashes themselves.
export const GET: RequestHandler = ({ locals, request, platform, params }) =>
	answerFetch(request, platform?.req, (compat) => handleGetModel(locals.app, compat, params.id));
