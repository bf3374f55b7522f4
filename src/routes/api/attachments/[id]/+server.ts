import type { RequestHandler } from './$types';
import { serveAttachment } from '$lib/server/attachments/serve-attachment';

export const GET: RequestHandler = (event) =>
	serveAttachment(event.locals.app, event.locals.user, event.params.id);
