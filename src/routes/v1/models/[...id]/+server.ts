import type { RequestHandler } from './$types';
import { handleGetModel } from '$lib/server/compat/openai/handle-openai';

// A rest parameter: model names are `provider/model`, and model ids may hold slashes themselves.
export const GET: RequestHandler = ({ locals, request, params }) =>
	handleGetModel(locals.app, request, params.id);
