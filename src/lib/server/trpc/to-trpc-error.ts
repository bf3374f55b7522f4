// Application errors become tRPC errors here, in the transport's own folder: services throw AppError
// (server/errors.ts) and depend on nothing of tRPC's.
import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import { isDatabaseUnavailable, isDatabaseWriteRefused, isUnstorableText } from '../db/unavailable';
import { AppError, unstorableText, writeFailed, type AppErrorCode } from '../errors';

const trpcCodes: Record<AppErrorCode, TRPC_ERROR_CODE_KEY> = {
	bad_request: 'BAD_REQUEST',
	unauthorized: 'UNAUTHORIZED',
	forbidden: 'FORBIDDEN',
	not_found: 'NOT_FOUND',
	conflict: 'CONFLICT',
	too_many_requests: 'TOO_MANY_REQUESTS',
	// A spending limit, like a rate limit, says "not now"; the SDK tells them apart by `budget`.
	budget_exceeded: 'TOO_MANY_REQUESTS',
	precondition_failed: 'PRECONDITION_FAILED',
	// A provider failure that reaches a plain request (not a stream) is the gateway's upstream failing.
	provider: 'BAD_GATEWAY',
	unavailable: 'SERVICE_UNAVAILABLE'
};

/** The one place where application errors become tRPC errors. */
export function toTRPCError(error: unknown): TRPCError {
	if (error instanceof TRPCError) {
		// An internal error wrapping another (tRPC wraps createContext failures) is judged by its cause.
		return error.code === 'INTERNAL_SERVER_ERROR' && error.cause ? toTRPCError(error.cause) : error;
	}
	if (error instanceof AppError) {
		return new TRPCError({ code: trpcCodes[error.code], message: error.message, cause: error });
	}
	if (isDatabaseUnavailable(error)) {
		return new TRPCError({
			code: 'SERVICE_UNAVAILABLE',
			message: 'The database is unavailable right now. Nothing was sent; try again in a moment.',
			cause: error
		});
	}
	if (isDatabaseWriteRefused(error)) return toTRPCError(writeFailed(error));
	if (isUnstorableText(error)) return toTRPCError(unstorableText(error));
	return new TRPCError({
		code: 'INTERNAL_SERVER_ERROR',
		message: 'Something went wrong on the server.',
		cause: error
	});
}

/** The AppError behind a TRPCError, if any: the error formatter reads its extra data. */
export function appErrorOf(error: TRPCError): AppError | undefined {
	return error.cause instanceof AppError ? error.cause : undefined;
}
