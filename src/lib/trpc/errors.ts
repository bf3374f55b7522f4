import type { ProviderErrorCode } from '$lib/schemas/provider-error';
import { isClientError, type AppClientError } from './client';

/** What the UI shows for a failure: a short title, a sentence of guidance and what can be done next. */
export type UiError = {
	title: string;
	message: string;
	/** tRPC's code (BAD_REQUEST, TOO_MANY_REQUESTS…) or 'NETWORK' when the server could not be reached. */
	code: string;
	providerCode: ProviderErrorCode | null;
	retryAfterMs: number | null;
	fieldErrors: Record<string, string[]>;
	/** Whether trying the same thing again can succeed. */
	retryable: boolean;
	/** The server's id for the failed call (x-request-id), to quote when reporting a problem. */
	requestId: string | null;
};

export type Help = {
	title: string;
	help: string;
	/** Where the fix is: the provider settings, another model, or simply trying again. */
	action: 'settings' | 'model' | 'retry' | 'none';
};

export function formatWait(ms: number): string {
	const seconds = Math.max(1, Math.ceil(ms / 1000));
	if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
	const minutes = Math.ceil(seconds / 60);
	return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

/** Guidance for each way a provider can fail, in words a person can act on. */
export function providerErrorHelp(
	code: ProviderErrorCode,
	options: { provider?: string; retryAfterMs?: number | null; isAdmin?: boolean; detail?: string } = {}
): Help {
	const who = options.provider || 'The provider';
	const keyFix = options.isAdmin
		? 'Check its API key in Settings → Providers.'
		: 'Ask an admin to check its API key.';
	switch (code) {
		case 'auth':
			return { title: `${who} refused the API key`, help: keyFix, action: 'settings' };
		case 'rate_limited':
			// Out of credit is not fixed by waiting.
			if (/quota|credit|billing/i.test(options.detail ?? '')) {
				return {
					title: `${who} has no quota left for this key`,
					help: 'Add credit or raise the limit with the provider, or pick another provider.',
					action: options.isAdmin ? 'settings' : 'model'
				};
			}
			return {
				title: `${who} is rate limiting requests`,
				help: options.retryAfterMs
					? `Try again in ${formatWait(options.retryAfterMs)}, or pick another provider.`
					: 'Wait a moment before retrying, or pick another provider. If it keeps happening, check the plan or quota of the key.',
				action: 'retry'
			};
		case 'overloaded':
			return {
				title: `${who} is overloaded`,
				help: 'This is on their side. Retry in a moment or answer with another provider.',
				action: 'retry'
			};
		case 'model_not_found':
			return {
				title: 'Model not available',
				help: options.isAdmin
					? 'The provider does not offer this model to this key. Pick another model, or refresh the model list in Settings → Providers.'
					: 'The provider does not offer this model. Pick another model.',
				action: 'model'
			};
		case 'context_length':
			return {
				title: 'The conversation is too long for this model',
				help: 'Start a new chat, shorten your message, or pick a model with a larger context window.',
				action: 'model'
			};
		case 'invalid_request':
			return {
				title: `${who} rejected the request`,
				help: 'Lower the max tokens, reset the temperature or pick another model, then retry.',
				action: 'model'
			};
		case 'timeout':
			return {
				title: `${who} stopped responding`,
				help: 'The answer took too long to arrive. Retry, or pick another provider.',
				action: 'retry'
			};
		case 'unavailable':
			return {
				title: `Could not reach ${options.provider ?? 'the provider'}`,
				help: options.isAdmin
					? 'Check that the service is running and its base URL in Settings → Providers (for Ollama: is “ollama serve” running?).'
					: 'The service may be down. Retry later or pick another provider.',
				action: options.isAdmin ? 'settings' : 'retry'
			};
		case 'aborted':
			return {
				title: 'The answer was interrupted',
				help: 'It was stopped before it finished. Retry to get a complete answer.',
				action: 'retry'
			};
		default:
			return {
				title: `${who} returned an error`,
				help: 'Retry, or pick another provider if it keeps failing.',
				action: 'retry'
			};
	}
}

/** What the server's errorFormatter sends (server/trpc/init.ts), typed from the router. */
type ErrorData = NonNullable<AppClientError['data']>;

function readData(error: unknown): ErrorData | null {
	return isClientError(error) ? (error.data ?? null) : null;
}

/** Turns whatever a call threw into something to show. Never shows a stack or raw response. */
export function describeError(error: unknown): UiError {
	const data = readData(error);
	const base: UiError = {
		title: 'Something went wrong',
		message: 'Try again in a moment.',
		code: data?.code ?? 'UNKNOWN',
		providerCode: data?.provider?.code ?? null,
		retryAfterMs: data?.retryAfterMs ?? null,
		fieldErrors: {},
		retryable: true,
		requestId: data?.requestId ?? null
	};
	if (!data) {
		const offline = typeof navigator !== 'undefined' && navigator.onLine === false;
		return {
			...base,
			code: 'NETWORK',
			title: offline ? 'You are offline' : 'Could not reach Switchboard',
			message: offline
				? 'Reconnect to the network, then try again.'
				: 'The server did not answer. Check that it is running, then try again.'
		};
	}
	const message = isClientError(error) ? error.message : base.message;
	for (const [field, errors] of Object.entries(data.zodError?.fieldErrors ?? {})) {
		if (errors?.length) base.fieldErrors[field] = errors;
	}
	// A spent budget is not fixed by retrying: the message names the spend, the limit and the reset.
	if (data.budget) {
		const title =
			data.budget.reason === 'unpriced_model' ? 'Not available on a budget' : 'Monthly budget used up';
		return { ...base, title, message, retryable: false };
	}
	switch (data.code) {
		case 'BAD_REQUEST': {
			const first = Object.values(base.fieldErrors)[0]?.[0] ?? data.zodError?.formErrors?.[0];
			return { ...base, title: 'Check the input', message: first ?? message, retryable: false };
		}
		case 'TOO_MANY_REQUESTS':
			return {
				...base,
				title: 'Too many requests',
				message: base.retryAfterMs ? `${message} Try again in ${formatWait(base.retryAfterMs)}.` : message
			};
		case 'UNAUTHORIZED':
			return {
				...base,
				title: 'Signed out',
				message: 'Your session ended. Sign in again.',
				retryable: false
			};
		case 'FORBIDDEN':
			return { ...base, title: 'Not allowed', message, retryable: false };
		case 'NOT_FOUND':
			return { ...base, title: 'Not found', message, retryable: false };
		case 'CONFLICT':
			return { ...base, title: 'Not now', message };
		case 'PRECONDITION_FAILED':
			return { ...base, title: 'Not ready yet', message, retryable: false };
		default:
			// A failure on the server's side: the id lets an admin find it in the log.
			return { ...base, message: base.requestId ? `${message} (request id ${base.requestId})` : message };
	}
}
