import {
	APIConnectionError,
	APIConnectionTimeoutError,
	APIError,
	APIUserAbortError
} from '@anthropic-ai/sdk';
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
 * What an Anthropic error says, HTTP or in-stream: `{type: 'error', error: {type, message}}`. Parsed, not
 * cast: a field missing or of another type (a gateway's own body, an HTML page) reads as unset, and
 * the SDK's message (the raw text) stands in for it.
 */
const errorBody = z
	.object({
		error: z
			.object({
				type: z.string().optional().catch(undefined),
				message: z.string().optional().catch(undefined)
			})
			.catch({})
	})
	.catch({ error: {} });

/** Any error the Anthropic SDK (or our fetch) throws -> ProviderError. */
export function mapAnthropicError(error: unknown, ctx: ErrorContext): ProviderError {
	if (error instanceof ProviderError) return error;
	if (error instanceof APIUserAbortError || ctx.signal?.aborted) return abortedError(ctx, error);
	if (error instanceof APIConnectionTimeoutError) return timeoutError(ctx, error);
	if (error instanceof APIConnectionError) return connectionError(ctx, error);
	if (error instanceof APIError) {
		// `error.error` is the whole body; an in-stream `event: error` arrives the same way with no status.
		const inner = errorBody.parse(error.error).error;
		return failureToError(
			{
				status: error.status,
				type: error.type ?? inner.type,
				code: error.errorCode,
				message: inner.message ?? error.message,
				headers: error.headers
			},
			ctx,
			error
		);
	}
	if (isAbortLike(error)) return timeoutError(ctx, error);
	return toProviderError(error, ctx);
}
