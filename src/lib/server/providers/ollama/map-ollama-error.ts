import {
	abortedError,
	failureToError,
	isAbortLike,
	toProviderError,
	timeoutError,
	type ErrorContext
} from '../provider-errors';
import { ProviderError } from '../types';

/** ollama-js's message for a stream that ended without `done: true`. */
export const OLLAMA_NO_DONE_MESSAGE = 'Did not receive done or success response in stream.';

/** ollama-js does not export ResponseError: it is recognised by name and `status_code`. */
function responseStatus(error: unknown): number | undefined {
	if (error instanceof Error && error.name === 'ResponseError') {
		const status = (error as { status_code?: unknown }).status_code;
		return typeof status === 'number' ? status : undefined;
	}
	return undefined;
}

/** Any error ollama-js (or our fetch) throws -> ProviderError. */
export function mapOllamaError(error: unknown, ctx: ErrorContext): ProviderError {
	if (error instanceof ProviderError) return error;
	if (ctx.signal?.aborted) return abortedError(ctx, error);
	const status = responseStatus(error);
	if (status !== undefined) {
		return failureToError({ status, message: (error as Error).message }, ctx, error);
	}
	if (isAbortLike(error)) return timeoutError(ctx, error);
	// An `{"error": "..."}` line in the stream is thrown as a plain Error with that text.
	if (
		error instanceof Error &&
		error.name === 'Error' &&
		error.message !== OLLAMA_NO_DONE_MESSAGE &&
		!error.cause
	) {
		return failureToError({ type: 'stream_error', message: error.message }, ctx, error);
	}
	return toProviderError(error, ctx);
}
