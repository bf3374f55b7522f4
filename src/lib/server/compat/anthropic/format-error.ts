import { compatStatus, retryAfterHeaders, type CompatError, type CompatErrorKind } from '../compat-error';
import { jsonReply, type CompatReply } from '../reply';

const types: Record<CompatErrorKind, string> = {
	invalid_request: 'invalid_request_error',
	authentication: 'authentication_error',
	permission: 'permission_error',
	not_found: 'not_found_error',
	too_large: 'request_too_large',
	rate_limit: 'rate_limit_error',
	// Anthropic has no quota type of its own: a spend limit is a rate limit there.
	quota: 'rate_limit_error',
	overloaded: 'overloaded_error',
	unavailable: 'api_error',
	timeout: 'timeout_error',
	upstream: 'api_error',
	internal: 'api_error'
};

/** Anthropic's error body: `{type: "error", error: {type, message}}`. */
export function anthropicErrorBody(error: CompatError) {
	return { type: 'error' as const, error: { type: types[error.kind], message: error.message } };
}

export function anthropicErrorReply(error: CompatError): CompatReply {
	return jsonReply(anthropicErrorBody(error), {
		status: compatStatus[error.kind],
		headers: retryAfterHeaders(error)
	});
}
