import type { RequestHandler } from './$types';
import { handleListModels } from '$lib/server/compat/openai/handle-openai';

export const GET: RequestHandler = ({ locals, request }) => handleListModels(locals.app, request);
