import type { RequestHandler } from './$types';
import { handleMessages } from '$lib/server/compat/anthropic/handle-anthropic';

export const POST: RequestHandler = ({ locals, request, platform }) =>
	handleMessages(locals.app, request, platform?.req);
