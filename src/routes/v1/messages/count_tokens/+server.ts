import type { RequestHandler } from './$types';
import { handleCountTokens } from '$lib/server/compat/anthropic/handle-anthropic';

export const POST: RequestHandler = ({ locals, request }) => handleCountTokens(locals.app, request);
