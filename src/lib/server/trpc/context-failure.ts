import { TRPCError } from '@trpc/server';
import { toTRPCError } from './to-trpc-error';

/**
 * An error raised while a request's context is built (authentication failed, too many requests).
 * tRPC then has no context, so the request's id travels with the error to the error formatter,
 * which puts it in the log line and the response like any other error's. The code and cause are
 * those of the error it carries, mapped in the one place (toTRPCError).
 */
export class ContextFailure extends TRPCError {
	readonly requestId: string;

	constructor(requestId: string, error: unknown) {
		const mapped = toTRPCError(error);
		super({ code: mapped.code, message: mapped.message, cause: mapped.cause ?? mapped });
		this.requestId = requestId;
	}
}

/** The id of the request an error belongs to, when the error knows it. */
export function requestIdOfFailure(error: unknown): string | null {
	return error instanceof ContextFailure ? error.requestId : null;
}
