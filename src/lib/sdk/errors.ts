import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import { budgetRefusalSchema, type BudgetRefusal } from '../schemas/budget';
import { describeInputErrors, type FieldErrors, type InputErrors } from '../schemas/input-errors';
import type { ProviderErrorCode } from '../schemas/provider-error';
import { tokenRefusals, type TokenRefusal } from '../schemas/tokens';

/** A provider's failure as the server reports it (`error.data.provider`). */
export type ProviderErrorInfo = { code: ProviderErrorCode; provider: string; retryable: boolean };

/**
 * tRPC's code for a failed call, or `NETWORK_ERROR` when no answer came back at all (server down,
 * DNS, refused connection): a script wants to tell "retry later" apart from "the server said no".
 */
export type SwitchboardErrorCode = TRPC_ERROR_CODE_KEY | 'NETWORK_ERROR';

export type { FieldErrors };

/** The parts of `TRPCClientError.data` the server's errorFormatter sends (see server/trpc/init.ts). */
type ErrorData = {
	code?: unknown;
	httpStatus?: unknown;
	provider?: unknown;
	retryAfterMs?: unknown;
	zodError?: unknown;
	field?: unknown;
	requestId?: unknown;
	budget?: unknown;
	tokenRefusal?: unknown;
};

/** A call to Switchboard failed: `code` says how, `provider` is set when a provider caused it. */
export class SwitchboardError extends Error {
	override readonly name = 'SwitchboardError';
	readonly code: SwitchboardErrorCode;
	readonly httpStatus?: number;
	readonly provider?: ProviderErrorInfo;
	readonly retryAfterMs?: number;
	/** Input validation failures by field (from the server's zod schemas). */
	readonly fieldErrors?: FieldErrors;
	readonly formErrors?: string[];
	/** The one input field a server-side rule refused (e.g. `modelId`), when the server names it. */
	readonly field?: string;
	/** The server's id for the failed request (also its `x-request-id`), to quote when reporting it. */
	readonly requestId?: string;
	/**
	 * Set when a monthly budget refused the call before any provider was asked: `reason` is
	 * `over_budget` (code TOO_MANY_REQUESTS) or `unpriced_model` (code FORBIDDEN), with what was
	 * spent, the limit and `resetsAt` (ISO, the first day of next month UTC).
	 */
	readonly budget?: BudgetRefusal;
	/**
	 * Why the server refused the API token: `expired` (UNAUTHORIZED), `scope` (FORBIDDEN: the token's
	 * scopes do not cover the call) or `model` (FORBIDDEN: the model is outside its allow-list).
	 */
	readonly tokenRefusal?: TokenRefusal;

	constructor(
		code: SwitchboardErrorCode,
		message: string,
		details: {
			cause?: unknown;
			httpStatus?: number;
			provider?: ProviderErrorInfo;
			retryAfterMs?: number;
			fieldErrors?: FieldErrors;
			formErrors?: string[];
			field?: string;
			requestId?: string;
			budget?: BudgetRefusal;
			tokenRefusal?: TokenRefusal;
		} = {}
	) {
		super(message, { cause: details.cause });
		this.requestId = details.requestId;
		this.budget = details.budget;
		this.tokenRefusal = details.tokenRefusal;
		this.code = code;
		this.httpStatus = details.httpStatus;
		this.provider = details.provider;
		this.retryAfterMs = details.retryAfterMs;
		this.fieldErrors = details.fieldErrors;
		this.formErrors = details.formErrors;
		this.field = details.field;
	}
}

/**
 * A generation ended with an `error` event: the provider (after any fallback) failed. `code` is the
 * provider's typed code; `text` keeps what streamed before the failure (the server keeps it too).
 */
export class SwitchboardProviderError extends Error {
	override readonly name = 'SwitchboardProviderError';
	readonly code: ProviderErrorCode;
	readonly providerId: string;
	readonly retryable: boolean;
	/** The same data as `SwitchboardError.provider`, so one check covers both kinds. */
	readonly provider: ProviderErrorInfo;
	readonly text: string;
	readonly modelId: string | null;

	constructor(
		error: { code: ProviderErrorCode; message: string; retryable: boolean; providerId: string },
		partial: { text: string; modelId: string | null } = { text: '', modelId: null }
	) {
		super(error.message);
		this.code = error.code;
		this.providerId = error.providerId;
		this.retryable = error.retryable;
		this.provider = { code: error.code, provider: error.providerId, retryable: error.retryable };
		this.text = partial.text;
		this.modelId = partial.modelId;
	}
}

const trpcCodes: ReadonlySet<string> = new Set<TRPC_ERROR_CODE_KEY>([
	'PARSE_ERROR',
	'BAD_REQUEST',
	'INTERNAL_SERVER_ERROR',
	'NOT_IMPLEMENTED',
	'BAD_GATEWAY',
	'SERVICE_UNAVAILABLE',
	'GATEWAY_TIMEOUT',
	'UNAUTHORIZED',
	'PAYMENT_REQUIRED',
	'FORBIDDEN',
	'NOT_FOUND',
	'METHOD_NOT_SUPPORTED',
	'TIMEOUT',
	'CONFLICT',
	'PRECONDITION_FAILED',
	'PAYLOAD_TOO_LARGE',
	'UNSUPPORTED_MEDIA_TYPE',
	'UNPROCESSABLE_CONTENT',
	'PRECONDITION_REQUIRED',
	'TOO_MANY_REQUESTS',
	'CLIENT_CLOSED_REQUEST'
]);

const statusCodes: Record<number, TRPC_ERROR_CODE_KEY> = {
	400: 'BAD_REQUEST',
	401: 'UNAUTHORIZED',
	403: 'FORBIDDEN',
	404: 'NOT_FOUND',
	409: 'CONFLICT',
	412: 'PRECONDITION_FAILED',
	413: 'PAYLOAD_TOO_LARGE',
	429: 'TOO_MANY_REQUESTS',
	502: 'BAD_GATEWAY',
	503: 'SERVICE_UNAVAILABLE',
	504: 'GATEWAY_TIMEOUT'
};

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null;
}

function isTrpcCode(value: unknown): value is TRPC_ERROR_CODE_KEY {
	return typeof value === 'string' && trpcCodes.has(value);
}

function readProvider(value: unknown): ProviderErrorInfo | undefined {
	if (!isRecord(value)) return undefined;
	const { code, provider, retryable } = value;
	if (typeof code !== 'string' || typeof provider !== 'string') return undefined;
	return { code: code as ProviderErrorCode, provider, retryable: retryable === true };
}

function readZodError(value: unknown): InputErrors {
	if (!isRecord(value)) return {};
	const fieldErrors = isRecord(value.fieldErrors) ? (value.fieldErrors as FieldErrors) : undefined;
	const formErrors = Array.isArray(value.formErrors) ? value.formErrors.map(String) : undefined;
	return { fieldErrors, formErrors };
}

function readTokenRefusal(value: unknown): TokenRefusal | undefined {
	return tokenRefusals.find((r) => r === value);
}

/** No response at all: fetch threw (refused connection, DNS), so there is no status to go by. */
function isNetworkFailure(error: Record<string, unknown>, data: ErrorData | undefined): boolean {
	if (data !== undefined) return false;
	const cause = error.cause;
	return cause instanceof TypeError || (isRecord(cause) && cause.name === 'TypeError');
}

/**
 * The HTTP status of a failure without tRPC data: an EventSource refused with a non-200 status
 * reports it as `cause.code` (the `eventsource` package's ErrorEvent), fetch failures have none.
 */
function statusOf(error: Record<string, unknown>, data: ErrorData | undefined): number | undefined {
	if (typeof data?.httpStatus === 'number') return data.httpStatus;
	const cause = error.cause;
	return isRecord(cause) && typeof cause.code === 'number' ? cause.code : undefined;
}

/**
 * Turns whatever a tRPC call threw into a SwitchboardError. Reads the error by shape rather than by
 * class, so it works whichever copy of @trpc/client created it (an app may bundle its own).
 */
export function toSwitchboardError(error: unknown): SwitchboardError | SwitchboardProviderError {
	if (error instanceof SwitchboardError || error instanceof SwitchboardProviderError) return error;
	if (!isRecord(error)) return new SwitchboardError('INTERNAL_SERVER_ERROR', String(error), { cause: error });
	const message = typeof error.message === 'string' && error.message ? error.message : 'Request failed';
	const data = isRecord(error.data) ? (error.data as ErrorData) : undefined;
	if (isNetworkFailure(error, data)) {
		return new SwitchboardError('NETWORK_ERROR', `Could not reach Switchboard: ${message}`, { cause: error });
	}
	const httpStatus = statusOf(error, data);
	const fromStatus = httpStatus === undefined ? undefined : statusCodes[httpStatus];
	const code: SwitchboardErrorCode = isTrpcCode(data?.code)
		? data.code
		: (fromStatus ?? 'INTERNAL_SERVER_ERROR');
	const invalid = readZodError(data?.zodError);
	// A server before this one sent the validator's issues as JSON for the message: said in words here too.
	return new SwitchboardError(code, describeInputErrors(invalid) ?? message, {
		cause: error,
		httpStatus,
		provider: readProvider(data?.provider),
		retryAfterMs: typeof data?.retryAfterMs === 'number' ? data.retryAfterMs : undefined,
		field: typeof data?.field === 'string' ? data.field : undefined,
		requestId: typeof data?.requestId === 'string' ? data.requestId : undefined,
		budget: budgetRefusalSchema.safeParse(data?.budget).data,
		tokenRefusal: readTokenRefusal(data?.tokenRefusal),
		...invalid
	});
}

/** The provider's code behind any SDK error, when a provider caused it. */
export function providerErrorCode(error: unknown): ProviderErrorCode | undefined {
	if (error instanceof SwitchboardProviderError) return error.code;
	if (error instanceof SwitchboardError) return error.provider?.code;
	return undefined;
}

/** The budget refusal behind an SDK error, when a monthly budget refused the call. */
export function budgetRefusal(error: unknown): BudgetRefusal | undefined {
	return error instanceof SwitchboardError ? error.budget : undefined;
}
