import type { AuthUser } from '$lib/schemas/auth';
import type { App } from '../app';
import { authenticateToken } from '../auth/authenticate';
import { CompatError } from './compat-error';

/**
 * The caller of a compatible API: `Authorization: Bearer <token>`, or (Anthropic's clients)
 * `x-api-key: <token>`. No cookie is read, so these routes need no CSRF defence beyond the origin guard.
 */
export async function authenticateCompat(
	app: App,
	headers: Headers,
	options: { apiKeyHeader: boolean }
): Promise<AuthUser> {
	const authorization = headers.get('authorization');
	const bearer = authorization ? /^bearer\s+(\S+)\s*$/i.exec(authorization)?.[1] : undefined;
	const token = bearer ?? (options.apiKeyHeader ? headers.get('x-api-key')?.trim() : undefined);
	if (!token) {
		throw new CompatError(
			'authentication',
			options.apiKeyHeader
				? 'Send a Switchboard API token as x-api-key or Authorization: Bearer.'
				: 'Send a Switchboard API token as Authorization: Bearer <token>.'
		);
	}
	const auth = await authenticateToken(app, token);
	if (!auth) throw new CompatError('authentication', 'The API token is invalid or was revoked.');
	return auth.user;
}
