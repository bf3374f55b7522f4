import { AppError, type AppErrorCode } from './errors';
import type { ProviderError } from './providers/types';
import type { ProviderErrorCode } from '$lib/schemas/provider-error';

const appCodes: Record<ProviderErrorCode, AppErrorCode> = {
	auth: 'precondition_failed',
	rate_limited: 'too_many_requests',
	overloaded: 'unavailable',
	model_not_found: 'bad_request',
	invalid_request: 'bad_request',
	context_length: 'bad_request',
	timeout: 'unavailable',
	unavailable: 'unavailable',
	aborted: 'conflict',
	unknown: 'provider'
};

/** A provider failure met by a plain request (not a stream), with the provider's typed code kept. */
export function providerFailure(error: ProviderError): AppError {
	return new AppError(appCodes[error.code], error.message, {
		cause: error,
		retryAfterMs: error.retryAfterMs,
		provider: { code: error.code, provider: error.providerId, retryable: error.retryable }
	});
}
