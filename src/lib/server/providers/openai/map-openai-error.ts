import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
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

/** Any error the OpenAI SDK (or our fetch) throws -> ProviderError. Pure apart from reading the signal. */
export function mapOpenAIError(error: unknown, ctx: ErrorContext): ProviderError {
	if (error instanceof ProviderError) return error;
	if (error instanceof APIUserAbortError || (ctx.signal?.aborted && isAbortLike(error))) {
		return abortedError(ctx, error);
	}
	if (ctx.signal?.aborted) return abortedError(ctx, error);
	if (error instanceof APIConnectionTimeoutError) return timeoutError(ctx, error);
	if (error instanceof APIConnectionError) return connectionError(ctx, error);
	if (error instanceof APIError) {
		// In-stream `data: {"error": ...}` arrives with no status; `error.error` is then the inner object.
		const inner = (error.error ?? {}) as { message?: unknown; type?: unknown; code?: unknown };
		return failureToError(
			{
				status: error.status,
				type: error.type ?? (typeof inner.type === 'string' ? inner.type : undefined),
				code: error.code ?? (typeof inner.code === 'string' ? inner.code : undefined),
				message: typeof inner.message === 'string' ? inner.message : error.message,
				headers: error.headers
			},
			ctx,
			error
		);
	}
	// A socket reset mid-stream surfaces as a plain TypeError ("terminated") from the body reader.
	return toProviderError(error, ctx);
}
