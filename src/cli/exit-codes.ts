import { SwitchboardError, SwitchboardProviderError } from '../lib/sdk/errors';

/** Exit codes, part of the CLI's contract with scripts (listed in --help). */
export const EXIT = {
	ok: 0,
	failure: 1,
	usage: 2,
	auth: 3,
	rateLimited: 4,
	provider: 5,
	interrupted: 130
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A mistake in how the CLI was called: a missing argument, an unknown flag, a bad value. */
export class UsageError extends Error {
	override readonly name = 'UsageError';
}

/** Not logged in: no URL or token in the environment or the config file. */
export class NotLoggedInError extends Error {
	override readonly name = 'NotLoggedInError';
}

function formatWait(ms: number): string {
	const seconds = Math.max(1, Math.ceil(ms / 1000));
	return seconds < 60 ? `${seconds}s` : `${Math.ceil(seconds / 60)}m`;
}

/** The exit code for any failure; the order matters (a provider's rate limit is a rate limit). */
export function exitCodeFor(error: unknown): ExitCode {
	if (error instanceof UsageError) return EXIT.usage;
	if (error instanceof NotLoggedInError) return EXIT.auth;
	if (error instanceof SwitchboardProviderError) {
		return error.code === 'rate_limited' ? EXIT.rateLimited : EXIT.provider;
	}
	if (!(error instanceof SwitchboardError)) return EXIT.failure;
	// A spending limit is a limit, whichever status carries it (an unpriced model is FORBIDDEN).
	if (error.budget) return EXIT.rateLimited;
	if (error.code === 'TOO_MANY_REQUESTS' || error.provider?.code === 'rate_limited') return EXIT.rateLimited;
	if (error.provider || error.code === 'PRECONDITION_FAILED' || error.code === 'BAD_GATEWAY')
		return EXIT.provider;
	if (error.code === 'UNAUTHORIZED' || error.code === 'FORBIDDEN') return EXIT.auth;
	if (error.code === 'BAD_REQUEST') return isValidationError(error) ? EXIT.usage : EXIT.provider;
	return EXIT.failure;
}

/**
 * A BAD_REQUEST is either the input schema refusing a value (zod field errors: the caller's mistake,
 * a usage error) or a server rule refusing the request as a whole. An unknown or disabled model or
 * provider gets the provider exit code; a rule naming another field (an import's file) is a usage error.
 */
function isValidationError(error: SwitchboardError): boolean {
	if (error.field === 'modelId' || error.field === 'providerId') return false;
	if (error.field) return true;
	const fields = Object.values(error.fieldErrors ?? {}).some((messages) => messages?.length);
	return fields || !!error.formErrors?.length;
}

function fieldDetails(error: SwitchboardError): string {
	const entries = Object.entries(error.fieldErrors ?? {}).filter(([, messages]) => messages?.length);
	if (!entries.length) return '';
	return ` (${entries.map(([field, messages]) => `${field}: ${messages?.join(', ')}`).join('; ')})`;
}

/** One line a person can act on, without a stack. */
export function errorMessage(error: unknown, context: { url?: string } = {}): string {
	if (error instanceof UsageError || error instanceof NotLoggedInError) return error.message;
	if (error instanceof SwitchboardProviderError) {
		return `${error.providerId} failed (${error.code}): ${error.message}`;
	}
	if (!(error instanceof SwitchboardError)) {
		return error instanceof Error ? error.message : String(error);
	}
	if (error.budget) return `Budget: ${error.message}`;
	switch (error.code) {
		case 'NETWORK_ERROR':
			return `Cannot reach Switchboard${context.url ? ` at ${context.url}` : ''}: is it running?`;
		case 'UNAUTHORIZED':
			return 'Switchboard did not accept the token: run `switchboard login` with a valid API token.';
		case 'FORBIDDEN':
			return `Not allowed: ${error.message}`;
		case 'TOO_MANY_REQUESTS':
			return `Rate limited: ${error.message}${error.retryAfterMs ? ` Retry in ${formatWait(error.retryAfterMs)}.` : ''}`;
	}
	const provider = error.provider ? `${error.provider.provider} (${error.provider.code}): ` : '';
	const wait = error.retryAfterMs ? ` Retry in ${formatWait(error.retryAfterMs)}.` : '';
	return `${provider}${error.message}${fieldDetails(error)}${wait}`;
}

/** The error as `--json` prints it: stable fields a script can branch on. */
export function errorJson(error: unknown, context: { url?: string } = {}): Record<string, unknown> {
	const base = { message: errorMessage(error, context), exitCode: exitCodeFor(error) };
	if (error instanceof SwitchboardProviderError) {
		return { ...base, code: 'PROVIDER_ERROR', provider: error.provider, partialText: error.text };
	}
	if (error instanceof SwitchboardError) {
		return {
			...base,
			code: error.code,
			provider: error.provider ?? null,
			retryAfterMs: error.retryAfterMs ?? null,
			budget: error.budget ?? null,
			fieldErrors: error.fieldErrors ?? null
		};
	}
	if (error instanceof UsageError) return { ...base, code: 'USAGE' };
	if (error instanceof NotLoggedInError) return { ...base, code: 'NOT_LOGGED_IN' };
	return { ...base, code: 'ERROR' };
}
