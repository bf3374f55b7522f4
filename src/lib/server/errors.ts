import type { BudgetRefusal } from '$lib/schemas/budget';
import type { ProviderErrorCode } from '$lib/schemas/provider-error';
import type { TokenRefusal } from '$lib/schemas/tokens';

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
	/** Set when an API token was refused: why (expired, out of scope, model not allowed). */
	readonly tokenRefusal?: TokenRefusal;

	constructor(
		code: AppErrorCode,
		message: string,
		options: {
			cause?: unknown;
			retryAfterMs?: number;
			provider?: ProviderErrorData;
			field?: string;
			budget?: BudgetRefusal;
			tokenRefusal?: TokenRefusal;
		} = {}
	) {
		super(message, { cause: options.cause });
		this.name = 'AppError';
		this.code = code;
		this.retryAfterMs = options.retryAfterMs;
		this.provider = options.provider;
		this.field = options.field;
		this.budget = options.budget;
		this.tokenRefusal = options.tokenRefusal;
	}
}

/** A text the database cannot hold (a NUL character): the caller's to fix, not the server's failure. */
export function unstorableText(cause: unknown): AppError {
	const message =
		'The text contains a NUL character (U+0000), which cannot be saved. Remove it and try again.';
	return new AppError('bad_request', message, { cause });
}

/** A write the database did not take. Its cause stays for the log; the user learns only to wait. */
export function writeFailed(cause: unknown, what = 'this'): AppError {
	const message = `The database could not save ${what} right now. Try again in a moment.`;
	return new AppError('unavailable', message, { cause });
}
