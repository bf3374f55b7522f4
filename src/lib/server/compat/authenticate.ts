import type { TokenScope } from '$lib/schemas/tokens';
import type { App } from '../app';
import { authenticateToken, readCredential, type Authenticated } from '../auth/authenticate';
import { checkDoorScope } from '../auth/token-access';
import { CompatError } from './compat-error';
import type { CompatRequest } from './compat-request';

/**
 * The caller of a compatible API (with its budgets and caps): `Authorization: Bearer <token>`, or
 * (Anthropic's clients) `x-api-key: <token>`. A cookie never counts, so these routes need no CSRF
 * defence of their own. Either token comes from the auth cache, so a turn costs no query for it.
 * The token's scope is checked here against the scopes the door (`door`, as the refusal names it)
 * needs; its model allow-list travels in `caller.grant` to where the models are picked.
 */
export async function authenticateCompat(
	app: App,
	request: CompatRequest,
	options: { apiKeyHeader: boolean; door: string; scopes: readonly TokenScope[] }
): Promise<Authenticated> {
	const auth = await authenticatedCaller(app, request, options.apiKeyHeader);
	callers.set(request, auth.user.id);
	checkDoorScope(auth.caller.grant, options.door, options.scopes);
	return auth;
}

// Who sent each request, for its log line (the lean route has no SvelteKit locals to keep it in).
const callers = new WeakMap<CompatRequest, string>();

/** The user a compatible-API request authenticated as, or null. */
export function compatCallerId(request: CompatRequest): string | null {
	return callers.get(request) ?? null;
}

async function authenticatedCaller(
	app: App,
	request: CompatRequest,
	apiKeyHeader: boolean
): Promise<Authenticated> {
	const apiKey = apiKeyHeader ? request.headers.get('x-api-key')?.trim() : undefined;
	const credential = readCredential(request.headers);
	if (credential?.kind === 'bearer') {
		// An Authorization header that is not `Bearer <token>` reads as an empty token: refused below.
		const auth = await authenticateToken(app, credential.token);
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
