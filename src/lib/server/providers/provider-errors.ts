import { replaceControlCharacters } from '$lib/control-characters';
import { configuredKeys } from './secret-redaction';
import { ProviderError, type ProviderErrorCode } from './types';

/** What an adapter knows when it turns an SDK error into a ProviderError. */
export type ErrorContext = { providerId: string; apiKey?: string; modelId?: string; signal?: AbortSignal };

/** A vendor-neutral description of a failed call, extracted from whatever the SDK threw. */
export type Failure = {
	status?: number;
	/** Vendor error type or code, e.g. rate_limit_error, insufficient_quota, overloaded_error. */
	type?: string | null;
	code?: string | null;
	message?: string;
	headers?: Headers | null;
};

const keyShapes = /(sk-[A-Za-z0-9_*-]{6,}|sb_[A-Za-z0-9_-]{6,}|Bearer\s+[A-Za-z0-9._~+/=-]+)/g;

/**
 * Removes every configured key (this call's `secret` too), whole or in parts of 4+ characters, and
 * anything shaped like a key, from text that may reach a user or a log.
 */
export function redactSecrets(text: string, secret?: string): string {
	return configuredKeys.redact(text.replace(keyShapes, '[redacted]'), secret);
}

/** `retry-after-ms`, then `retry-after` in seconds or as an HTTP date; undefined when absent or nonsense. */
export function parseRetryAfter(headers: Headers | null | undefined, now = Date.now()): number | undefined {
	const ms = Number.parseFloat(headers?.get('retry-after-ms') ?? '');
	if (Number.isFinite(ms) && ms >= 0) return Math.round(ms);
	const raw = headers?.get('retry-after');
	if (!raw) return undefined;
	const seconds = Number(raw);
	if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
	const date = Date.parse(raw);
	return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

export function isAbortLike(error: unknown): boolean {
	return (
		error instanceof Error &&
		(error.name === 'AbortError' || error.name === 'APIUserAbortError' || error.name === 'TimeoutError')
	);
}

/** The first error in the cause chain matching `test`. */
export function findCause(error: unknown, test: (e: Error) => boolean): Error | undefined {
	let current: unknown = error;
	for (let depth = 0; current instanceof Error && depth < 6; depth++) {
		if (test(current)) return current;
		current = current.cause;
	}
	return undefined;
}

/** The original error, unless it carries a key: then a copy with the keys removed (logs print causes). */
export function safeCause(error: unknown, secret?: string): unknown {
	if (!(error instanceof Error)) return error;
	const body = (error as { error?: unknown }).error;
	const text = `${error.message} ${body === undefined ? '' : JSON.stringify(body)}`;
	if (configuredKeys.redact(text, secret) === text) return error;
	const copy = new Error(redactSecrets(error.message, secret));
	copy.name = error.name;
	return copy;
}

/**
 * A short upstream detail for messages where it helps the user (invalid request, context length).
 * Its control characters become U+FFFD: the message is stored (Postgres refuses a NUL, and the answer
 * lost its error and usage row with it), printed by the CLI (an escape sequence would drive the
 * terminal) and logged.
 */
export function upstreamDetail(message: string | undefined, secret?: string): string {
	const text = redactSecrets(
		replaceControlCharacters((message ?? '').replace(/^\d{3}\s+/, '').trim()),
		secret
	);
	return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}

type Classified = { code: ProviderErrorCode; retryable: boolean; quota?: boolean };

const contextPattern =
	/context[_ ]length|context window|prompt is too long|too many tokens|maximum context|exceeds the context|input length/i;

/** The one vocabulary: which ProviderErrorCode an HTTP failure (or in-stream error) is. Pure. */
export function classifyFailure(f: Failure): Classified {
	const tags = `${f.type ?? ''} ${f.code ?? ''}`.toLowerCase();
	const text = `${tags} ${f.message ?? ''}`;
	if (/insufficient_quota|billing|credit/.test(tags) || f.status === 402) {
		return { code: 'rate_limited', retryable: false, quota: true };
	}
	if (
		f.status === 413 ||
		/request_too_large|context_length_exceeded/.test(tags) ||
		contextPattern.test(text)
	) {
		return { code: 'context_length', retryable: false };
	}
	if (f.status === 401 || f.status === 403 || /authentication|permission|invalid_api_key/.test(tags)) {
		return { code: 'auth', retryable: false };
	}
	if (f.status === 404 || /not_found|model_not_found/.test(tags))
		return { code: 'model_not_found', retryable: false };
	if (f.status === 429 || /rate_limit/.test(tags)) return { code: 'rate_limited', retryable: true };
	if (f.status === 529 || /overloaded/.test(tags)) return { code: 'overloaded', retryable: true };
	if (f.status === 408 || f.status === 504 || /timeout/.test(tags))
		return { code: 'timeout', retryable: true };
	if ((f.status !== undefined && f.status >= 500) || /api_error|server_error|internal/.test(tags)) {
		return { code: 'unavailable', retryable: true };
	}
	if (f.status === 400 || f.status === 422 || /invalid_request/.test(tags))
		return { code: 'invalid_request', retryable: false };
	if (f.status === undefined && f.type === undefined && f.code === undefined)
		return { code: 'unknown', retryable: false };
	// An in-stream error of a type we do not know: the provider failed, not the request.
	return { code: f.status === undefined ? 'unavailable' : 'unknown', retryable: f.status === undefined };
}

function describe(c: Classified, f: Failure, ctx: ErrorContext): string {
	const p = `The provider "${ctx.providerId}"`;
	const status = f.status ? ` (HTTP ${f.status})` : '';
	const detail = upstreamDetail(f.message, ctx.apiKey);
	switch (c.code) {
		case 'auth':
			return `${p} rejected the API key${status}. Check the key in Settings → Providers.`;
		case 'rate_limited':
			return c.quota
				? `${p} reports that the account has no quota or credit left${status}.`
				: `${p} is rate limiting requests${status}. Try again in a moment.`;
		case 'overloaded':
			return `${p} is overloaded right now${status}. Try again shortly.`;
		case 'model_not_found':
			return ctx.modelId
				? `${p} does not know the model "${ctx.modelId}".`
				: `${p} could not find the model${status}.`;
		case 'context_length':
			return `The conversation is too long for this model's context window${detail ? `: ${detail}` : '.'}`;
		case 'invalid_request':
			return `${p} refused the request${status}${detail ? `: ${detail}` : '.'}`;
		case 'timeout':
			return `${p} did not answer in time${status}.`;
		case 'unavailable':
			return `${p} is unavailable${status}${detail && !f.status ? `: ${detail}` : '.'}`;
		default:
			return `${p} failed${status}${detail ? `: ${detail}` : '.'}`;
	}
}

/** Builds the ProviderError for an HTTP or in-stream failure. */
export function failureToError(f: Failure, ctx: ErrorContext, cause: unknown): ProviderError {
	const classified = classifyFailure(f);
	return new ProviderError({
		code: classified.code,
		retryable: classified.retryable,
		message: describe(classified, f, ctx),
		providerId: ctx.providerId,
		status: f.status,
		retryAfterMs: classified.retryable ? parseRetryAfter(f.headers) : undefined,
		cause: safeCause(cause, ctx.apiKey)
	});
}

export function abortedError(ctx: ErrorContext, cause?: unknown): ProviderError {
	return new ProviderError({
		code: 'aborted',
		message: 'The request was stopped.',
		providerId: ctx.providerId,
		cause
	});
}

export function timeoutError(ctx: ErrorContext, cause?: unknown): ProviderError {
	return new ProviderError({
		code: 'timeout',
		retryable: true,
		message: `The provider "${ctx.providerId}" did not answer in time.`,
		providerId: ctx.providerId,
		cause: safeCause(cause, ctx.apiKey)
	});
}

/** Connection-level failures: refused by our URL policy, or the network. */
export function connectionError(ctx: ErrorContext, cause: unknown): ProviderError {
	const refused = findCause(cause, (e) => e.name === 'OutboundRefusedError');
	if (refused) {
		return new ProviderError({
			code: 'invalid_request',
			message: refused.message,
			providerId: ctx.providerId,
			cause: refused
		});
	}
	return new ProviderError({
		code: 'unavailable',
		retryable: true,
		message: `Could not connect to the provider "${ctx.providerId}".`,
		providerId: ctx.providerId,
		cause: safeCause(cause, ctx.apiKey)
	});
}

/** A stream that ended without its terminator: never a silent success. */
export function truncatedStreamError(ctx: ErrorContext, sawText: boolean): ProviderError {
	return new ProviderError({
		code: 'unavailable',
		// Before any text the whole request can be repeated; after it the partial answer stands.
		retryable: !sawText,
		message: `The provider "${ctx.providerId}" ended the answer early (the stream stopped without finishing).`,
		providerId: ctx.providerId
	});
}

/**
 * The one normalizer for anything thrown on the way to or from a provider that is not yet classified.
 * The caller's abort wins (a stop is a stop, whatever the SDK threw while closing); a ProviderError
 * stands; network-shaped errors are `unavailable`, abort-shaped ones `timeout`, the rest `unknown`.
 */
export function toProviderError(error: unknown, ctx: ErrorContext): ProviderError {
	if (ctx.signal?.aborted) {
		return error instanceof ProviderError && error.code === 'aborted' ? error : abortedError(ctx, error);
	}
	if (error instanceof ProviderError) return error;
	const network = findCause(
		error,
		(e) =>
			e.name === 'OutboundRefusedError' ||
			/terminated|fetch failed|socket|network|ECONN|EPIPE|ENOTFOUND|EAI_AGAIN|UND_ERR/i.test(
				`${e.message} ${(e as { code?: unknown }).code ?? ''}`
			)
	);
	if (network) return connectionError(ctx, error);
	if (isAbortLike(error)) return timeoutError(ctx, error);
	return new ProviderError({
		code: 'unknown',
		message: `The provider "${ctx.providerId}" failed unexpectedly.`,
		providerId: ctx.providerId,
		cause: safeCause(error, ctx.apiKey)
	});
}
