import type { RequestHandler } from './$types';
import { handleTrpcRequest } from '$lib/server/trpc/handler';

const handler: RequestHandler = (event) =>
	handleTrpcRequest(event.locals.app, event.request, {
		clientAddress: event.getClientAddress(),
		user: event.locals.user,
		requestId: event.locals.requestId
	});

export const GET = handler;
export const POST = handler;
