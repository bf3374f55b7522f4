import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { z } from 'zod';
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

/**
 * The `error` object of an OpenAI error body (`{"error": {message, type, code}}`, which the SDK unwraps),
 * or of an in-stream `data: {"error": ...}`. Parsed, not cast: a field missing or of another type
 * (gateways answer in their own shapes) reads as unset, and the SDK's message (the raw text) stands in.
 */
const errorObject = z
	.object({
		message: z.string().optional().catch(undefined),
		type: z.string().optional().catch(undefined),
		code: z.string().optional().catch(undefined)
	})
	.catch({});

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
		const inner = errorObject.parse(error.error);
		return failureToError(
			{
				status: error.status,
				type: error.type ?? inner.type,
				code: error.code ?? inner.code,
				message: inner.message ?? error.message,
				headers: error.headers
			},
			ctx,
			error
		);
	}
	// A socket reset mid-stream surfaces as a plain TypeError ("terminated") from the body reader.
	return toProviderError(error, ctx);
}
