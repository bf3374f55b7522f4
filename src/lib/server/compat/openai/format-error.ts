import { compatStatus, retryAfterHeaders, type CompatError, type CompatErrorKind } from '../compat-error';
import { jsonReply, type CompatReply } from '../reply';

const types: Record<CompatErrorKind, string> = {
	invalid_request: 'invalid_request_error',
	authentication: 'authentication_error',
	permission: 'permission_error',
	not_found: 'not_found_error',
	too_large: 'invalid_request_error',
	rate_limit: 'rate_limit_error',
	// OpenAI's own answer when an account's spend reached its limit.
	quota: 'insufficient_quota',
	overloaded: 'server_error',
	unavailable: 'server_error',
	timeout: 'server_error',
	upstream: 'server_error',
	internal: 'server_error'
};

const codes: Partial<Record<CompatErrorKind, string>> = {
	authentication: 'invalid_api_key',
	not_found: 'model_not_found',
	too_large: 'request_too_large',
	rate_limit: 'rate_limit_exceeded',
	quota: 'insufficient_quota',
	overloaded: 'overloaded'
};

/** OpenAI's error body: `{error: {message, type, code, param}}`. */
export function openAIErrorBody(error: CompatError) {
	return {
		error: {
			message: error.message,
			type: types[error.kind],
			code: error.providerCode === 'context_length' ? 'context_length_exceeded' : (codes[error.kind] ?? null),
			param: error.param
		}
	};
}

/** OpenAI has no 529: an overloaded upstream is a 503 there. */
export function openAIStatus(error: CompatError): number {
	return error.kind === 'overloaded' ? 503 : compatStatus[error.kind];
}

export function openAIErrorReply(error: CompatError): CompatReply {
	return jsonReply(openAIErrorBody(error), {
		status: openAIStatus(error),
		headers: retryAfterHeaders(error)
	});
}
