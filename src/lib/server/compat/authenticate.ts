import type { TokenScope } from '$lib/schemas/tokens';
import type { App } from '../app';
import { authenticateRequest, authenticateToken, type Authenticated } from '../auth/authenticate';
import { checkDoorScope } from '../auth/token-access';
import { CompatError } from './compat-error';

/**
 * The caller of a compatible API (with its budgets and caps): `Authorization: Bearer <token>`, or (Anthropic's clients)
 * `x-api-key: <token>`. A cookie never counts, so these routes need no CSRF defence of their own.
 * The bearer goes through authenticateRequest, which remembers its answer per Request: the hook
 * that already read it costs no second query. The token's scope is checked here against the
 * scopes the door (`door`, as the refusal names it) needs; its model allow-list is for the caller
 * to put in force around the call (withGrant).
 */
export async function authenticateCompat(
	app: App,
	request: Request,
	options: { apiKeyHeader: boolean; door: string; scopes: readonly TokenScope[] }
): Promise<Authenticated> {
	const auth = await authenticatedCaller(app, request, options.apiKeyHeader);
	checkDoorScope(auth.grant, options.door, options.scopes);
	return auth;
}

async function authenticatedCaller(
	app: App,
	request: Request,
	apiKeyHeader: boolean
): Promise<Authenticated> {
	const apiKey = apiKeyHeader ? request.headers.get('x-api-key')?.trim() : undefined;
	if (request.headers.has('authorization')) {
		// With an Authorization header, authenticateRequest reads only that header, never the cookie.
		const auth = await authenticateRequest(app, request);
		if (auth) return auth;
	} else if (apiKey) {
		const auth = await authenticateToken(app, apiKey);
		if (auth) return auth;
	} else {
		throw new CompatError(
			'authentication',
			apiKeyHeader
				? 'Send a Switchboard API token as x-api-key or Authorization: Bearer.'
				: 'Send a Switchboard API token as Authorization: Bearer <token>.'
		);
	}
	throw new CompatError('authentication', 'The API token is invalid or was revoked.');
}
