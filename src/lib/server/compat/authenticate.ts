import type { App } from '../app';
import { authenticateRequest, authenticateToken } from '../auth/authenticate';
import type { Caller } from '../auth/caller';
import { CompatError } from './compat-error';

/**
 * The caller of a compatible API (with its budgets and caps): `Authorization: Bearer <token>`, or (Anthropic's clients)
 * `x-api-key: <token>`. A cookie never counts, so these routes need no CSRF defence of their own.
 * The bearer goes through authenticateRequest, which remembers its answer per Request: the hook
 * that already read it costs no second query.
 */
export async function authenticateCompat(
	app: App,
	request: Request,
	options: { apiKeyHeader: boolean }
): Promise<Caller> {
	const apiKey = options.apiKeyHeader ? request.headers.get('x-api-key')?.trim() : undefined;
	if (request.headers.has('authorization')) {
		// With an Authorization header, authenticateRequest reads only that header, never the cookie.
		const auth = await authenticateRequest(app, request);
		if (auth) return auth.caller;
	} else if (apiKey) {
		const auth = await authenticateToken(app, apiKey);
		if (auth) return auth.caller;
	} else {
		throw new CompatError(
			'authentication',
			options.apiKeyHeader
				? 'Send a Switchboard API token as x-api-key or Authorization: Bearer.'
				: 'Send a Switchboard API token as Authorization: Bearer <token>.'
		);
	}
	throw new CompatError('authentication', 'The API token is invalid or was revoked.');
}
