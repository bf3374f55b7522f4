import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import type { BudgetRefusal } from '$lib/schemas/budget';
import type { ProviderErrorCode } from '$lib/schemas/provider-error';
import { isDatabaseUnavailable, isDatabaseWriteRefused } from './db/unavailable';

export type AppErrorCode =
	| 'bad_request'
	| 'unauthorized'
	| 'forbidden'
	| 'not_found'
	| 'conflict'
	| 'too_many_requests'
	| 'budget_exceeded'
	| 'precondition_failed'
	| 'provider'
	| 'unavailable';

export type ProviderErrorData = { code: ProviderErrorCode; provider: string; retryable: boolean };

/**
 * A failure the caller can act on. The message is safe to show a user (never a key, SQL or stack);
 * the cause keeps the original error for the server's log.
 */
export class AppError extends Error {
	readonly code: AppErrorCode;
	readonly retryAfterMs?: number;
	readonly provider?: ProviderErrorData;
	readonly field?: string;
	/** Set when a budget refused the call: what was spent, the limit, when it resets. */
	readonly budget?: BudgetRefusal;

	constructor(
		code: AppErrorCode,
		message: string,
		options: {
			cause?: unknown;
			retryAfterMs?: number;
			provider?: ProviderErrorData;
			field?: string;
			budget?: BudgetRefusal;
		} = {}
	) {
		super(message, { cause: options.cause });
		this.name = 'AppError';
		this.code = code;
		this.retryAfterMs = options.retryAfterMs;
		this.provider = options.provider;
		this.field = options.field;
		this.budget = options.budget;
	}
}

/** A write the database did not take. Its cause stays for the log; the user learns only to wait. */
export function writeFailed(cause: unknown, what = 'this'): AppError {
	const message = `The database could not save ${what} right now. Try again in a moment.`;
	return new AppError('unavailable', message, { cause });
}

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
