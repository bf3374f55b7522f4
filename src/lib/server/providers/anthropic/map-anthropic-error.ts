import {
	APIConnectionError,
	APIConnectionTimeoutError,
	APIError,
	APIUserAbortError
} from '@anthropic-ai/sdk';
import {
	abortedError,
	connectionError,
	failureToError,
	isAbortLike,
	toProviderError,
	timeoutError,
	type ErrorContext
} from '../provider-errors';
import { ProviderError } from '../types';

/** Any error the Anthropic SDK (or our fetch) throws -> ProviderError. */
export function mapAnthropicError(error: unknown, ctx: ErrorContext): ProviderError {
	if (error instanceof ProviderError) return error;
	if (error instanceof APIUserAbortError || ctx.signal?.aborted) return abortedError(ctx, error);
	if (error instanceof APIConnectionTimeoutError) return timeoutError(ctx, error);
	if (error instanceof APIConnectionError) return connectionError(ctx, error);
	if (error instanceof APIError) {
		// `error.error` is the whole body: {type: 'error', error: {type, message}}; an in-stream
		// `event: error` arrives the same way with no status.
		const body = (error.error ?? {}) as { error?: { message?: unknown; type?: unknown } };
		const inner = body.error ?? {};
		return failureToError(
			{
				status: error.status,
				type: error.type ?? (typeof inner.type === 'string' ? inner.type : undefined),
				code: error.errorCode,
				message: typeof inner.message === 'string' ? inner.message : error.message,
				headers: error.headers
			},
			ctx,
			error
		);
	}
	if (isAbortLike(error)) return timeoutError(ctx, error);
	return toProviderError(error, ctx);
}
