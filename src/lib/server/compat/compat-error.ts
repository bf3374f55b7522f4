import type { ProviderErrorCode } from '$lib/schemas/provider-error';
import { AppError, writeFailed, type AppErrorCode } from '../errors';
import { isDatabaseUnavailable, isDatabaseWriteRefused } from '../db/unavailable';
import { ProviderError } from '../providers/types';
import { describeError, log } from '../log';

/** What went wrong, in the terms both compatible APIs share; each door renders it in its own shape. */
export type CompatErrorKind =
	| 'invalid_request'
	| 'authentication'
	| 'permission'
	| 'not_found'
	| 'too_large'
	| 'rate_limit'
	| 'quota'
	| 'overloaded'
	| 'unavailable'
	| 'timeout'
	| 'upstream'
	| 'internal';

export const compatStatus: Record<CompatErrorKind, number> = {
	invalid_request: 400,
	authentication: 401,
	permission: 403,
	not_found: 404,
	too_large: 413,
	rate_limit: 429,
	quota: 429,
	// Anthropic's own status for an overloaded upstream; the OpenAI door answers 503 (format-error.ts).
	overloaded: 529,
	unavailable: 503,
	timeout: 504,
	upstream: 502,
	internal: 500
};

/** A failure of a compatible-API call. The message is safe to show (no key, SQL or stack). */
export class CompatError extends Error {
	readonly kind: CompatErrorKind;
	/** The request field at fault, in the wire format's own naming (e.g. `messages[1].content`). */
	readonly param: string | null;
	readonly retryAfterMs: number | null;
	/** The engine's provider error code, when a provider failed. */
	readonly providerCode: ProviderErrorCode | null;

	constructor(
		kind: CompatErrorKind,
		message: string,
		options: {
			param?: string | null;
			retryAfterMs?: number | null;
			providerCode?: ProviderErrorCode | null;
			cause?: unknown;
		} = {}
	) {
		super(message, { cause: options.cause });
		this.name = 'CompatError';
		this.kind = kind;
		this.param = options.param ?? null;
		this.retryAfterMs = options.retryAfterMs ?? null;
		this.providerCode = options.providerCode ?? null;
	}
}

const fromProviderCode: Record<ProviderErrorCode, CompatErrorKind> = {
	// The provider refused Switchboard's own key: the gateway's upstream is failing, not the caller.
	auth: 'upstream',
	rate_limited: 'rate_limit',
	overloaded: 'overloaded',
	model_not_found: 'not_found',
	invalid_request: 'invalid_request',
	context_length: 'invalid_request',
	timeout: 'timeout',
	unavailable: 'unavailable',
	aborted: 'upstream',
	unknown: 'upstream'
};

const fromAppCode: Record<AppErrorCode, CompatErrorKind> = {
	bad_request: 'invalid_request',
	unauthorized: 'authentication',
	forbidden: 'permission',
	not_found: 'not_found',
	conflict: 'invalid_request',
	too_many_requests: 'rate_limit',
	budget_exceeded: 'quota',
	precondition_failed: 'invalid_request',
	provider: 'upstream',
	unavailable: 'unavailable'
};

/** A provider failure as the engine reports it (a ProviderError, or a stream's `error` event). */
export type ProviderFailure = {
	code: ProviderErrorCode;
	message: string;
	retryAfterMs?: number | null;
};

export function providerCompatError(failure: ProviderFailure, cause?: unknown): CompatError {
	return new CompatError(fromProviderCode[failure.code], failure.message, {
		retryAfterMs: failure.retryAfterMs ?? null,
		providerCode: failure.code,
		cause
	});
}

/** The one mapping from anything thrown behind a compatible API to a CompatError. */
export function toCompatError(error: unknown): CompatError {
	if (error instanceof CompatError) return error;
	if (error instanceof ProviderError) return providerCompatError(error, error);
	if (error instanceof AppError) {
		if (error.provider && error.cause instanceof ProviderError) {
			return providerCompatError(error.cause, error);
		}
		return new CompatError(fromAppCode[error.code], error.message, {
			param: error.field ?? null,
			retryAfterMs: error.retryAfterMs ?? null,
			cause: error
		});
	}
	if (isDatabaseUnavailable(error)) {
		return new CompatError('unavailable', 'The database is unavailable right now. Try again in a moment.', {
			retryAfterMs: 2_000,
			cause: error
		});
	}
	// A full disk or a read-only database: up, but refusing writes; 503 like the tRPC API.
	if (isDatabaseWriteRefused(error)) return toCompatError(writeFailed(error));
	log.error('compatible API call failed', { error: describeError(error) });
	return new CompatError('internal', 'Something went wrong on the server.', { cause: error });
}

/** `retry-after` in whole seconds (rounded up), when the failure says how long to wait. */
export function retryAfterHeaders(error: CompatError): Record<string, string> {
	if (error.retryAfterMs === null) return {};
	return { 'retry-after': String(Math.max(1, Math.ceil(error.retryAfterMs / 1000))) };
}
