import type { AuthUser } from '$lib/schemas/auth';
import type { App } from '../app';
import * as sessionRepo from '../db/repositories/session-repository';
import type { SessionUser } from '../db/repositories/session-repository';
import * as tokenRepo from '../db/repositories/token-repository';
import { callerOf, type Caller } from './caller';
import { SESSION_COOKIE, parseSessionToken, readCookie, sessionFreshness } from './session';
import { validateSessionToken } from './session-store';
import { expiredTokenError, isExpired } from './token-access';
import { hashApiToken, isApiTokenFormat, shouldTouchToken } from './tokens';

export type Credential = { kind: 'bearer'; token: string } | { kind: 'cookie'; token: string };

/**
 * Which credential a request presents. An Authorization header wins outright: when it is there
 * the cookie is ignored, even if the header is invalid. Otherwise a bogus header could make the
 * origin guard wave a request through (bearer requests are exempt) while the cookie authenticates it.
 */
export function readCredential(headers: Pick<Headers, 'get'>): Credential | null {
	const authorization = headers.get('authorization');
	if (authorization !== null) {
		const match = /^bearer\s+(\S+)\s*$/i.exec(authorization);
		return { kind: 'bearer', token: match?.[1] ?? '' };
	}
	const cookie = readCookie(headers.get('cookie'), SESSION_COOKIE);
	return cookie ? { kind: 'cookie', token: cookie } : null;
}

export type Authenticated = {
	user: AuthUser;
	via: 'session' | 'token';
	sessionId: string | null;
	tokenId: string | null;
	/**
	 * The same user with their budgets and caps, for starting generations, and an API token's grant
	 * (`caller.grant`: scopes, allow-list, expiry; null for a session, which may do all its user may).
	 */
	caller: Caller;
	/** Set when a cookie session was just extended: send the cookie again with the new expiry. */
	renewal: { token: string; expiresAt: Date } | null;
};

export function toAuthUser(user: SessionUser): AuthUser {
	return { id: user.id, email: user.email, name: user.name, role: user.role };
}

/**
 * An unknown, revoked or disabled user's token is simply not authenticated; an expired one is refused
 * with an error that says so, since its owner can act on that (make a new token).
 */
async function authenticateApiToken(app: App, token: string, now: Date): Promise<Authenticated | null> {
	const db = app.database.db;
	const { cache } = app.authRuntime;
	const tokenHash = hashApiToken(token);
	const found = await cache.token(tokenHash, () => tokenRepo.findTokenWithUser(db, tokenHash), now);
	if (!found || found.user.disabled) return null;
	if (found.token.expiresAt && isExpired(found.token, now)) throw expiredTokenError(found.token.expiresAt);
	if (shouldTouchToken(found.token.lastUsedAt, now)) {
		// Noted, not written: the write happens later, in a batch, off this request's path.
		app.authRuntime.tokenUse.note(found.token.id, now);
		cache.tokenTouched(tokenHash, now);
	}
	return {
		user: toAuthUser(found.user),
		via: 'token',
		sessionId: null,
		tokenId: found.token.id,
		caller: callerOf(found.user, found.token),
		renewal: null
	};
}

async function authenticateSession(app: App, token: string, now: Date): Promise<Authenticated | null> {
	const session = await validateSessionToken(app.database.db, app.authRuntime.cache, token, now);
	if (!session) return null;
	return {
		user: toAuthUser(session.user),
		via: 'session',
		sessionId: session.id,
		tokenId: null,
		caller: callerOf(session.user),
		renewal: session.renewed ? { token, expiresAt: session.expiresAt } : null
	};
}

/**
 * A bearer value: an API token (`sb_…`), or a session token, so a CLI that signed in can send its
 * session the same way. Either way no cookie is involved, so nothing needs renewing.
 */
export async function authenticateToken(app: App, token: string): Promise<Authenticated | null> {
	const now = app.authRuntime.now();
	if (isApiTokenFormat(token)) return authenticateApiToken(app, token, now);
	if (parseSessionToken(token)) {
		const auth = await authenticateSession(app, token, now);
		return auth && { ...auth, renewal: null };
	}
	return null;
}

async function authenticateHeaders(app: App, headers: Headers): Promise<Authenticated | null> {
	const credential = readCredential(headers);
	if (credential?.kind === 'bearer') return authenticateToken(app, credential.token);
	if (credential?.kind === 'cookie') return authenticateSession(app, credential.token, app.authRuntime.now());
	return null;
}

// hooks.server.ts and the tRPC handler both ask about the same Request: the answer is computed
// once (one query, at most one renewal write) and remembered for that Request's lifetime.
const remembered = new WeakMap<Request, { app: App; result: Promise<Authenticated | null> }>();

/**
 * Who sent this request: the Authorization bearer token, else the session cookie, else (for SSE
 * subscriptions, whose EventSource cannot always send headers) tRPC's `connectionParams.token`.
 * Only API tokens are taken from connectionParams: the subscription link puts them in the URL,
 * and a session token must never travel there. A request with a bearer header that fails is
 * not authenticated by anything else.
 */
export async function authenticateRequest(
	app: App,
	request: Request,
	options: { connectionParams?: Record<string, string> | null } = {}
): Promise<Authenticated | null> {
	let entry = remembered.get(request);
	if (!entry || entry.app !== app) {
		entry = { app, result: authenticateHeaders(app, request.headers) };
		remembered.set(request, entry);
	}
	const auth = await entry.result;
	if (auth || readCredential(request.headers)?.kind === 'bearer') return auth;
	return authenticateConnectionParams(app, options.connectionParams);
}

export async function authenticateConnectionParams(
	app: App,
	connectionParams: Record<string, string> | null | undefined
): Promise<Authenticated | null> {
	const token = connectionParams?.token;
	if (!token || !isApiTokenFormat(token)) return null;
	return authenticateApiToken(app, token, app.authRuntime.now());
}

/**
 * Whether an earlier authentication still holds: for long-lived subscriptions, which should stop
 * when the user signs out, is disabled, changes role or the token is revoked. One cheap query, no writes.
 */
export async function isStillAuthenticated(app: App, auth: Authenticated): Promise<boolean> {
	const db = app.database.db;
	if (auth.via === 'token' && auth.tokenId) {
		const found = await tokenRepo.findTokenById(db, auth.user.id, auth.tokenId);
		if (!found || found.user.disabled || found.user.role !== auth.user.role) return false;
		return !isExpired(found.token, app.authRuntime.now());
	}
	if (auth.via === 'session' && auth.sessionId) {
		const found = await sessionRepo.findSessionWithUser(db, auth.sessionId);
		if (!found || found.user.disabled || found.user.id !== auth.user.id) return false;
		// A new role means new permissions: the subscriber authenticates again.
		if (found.user.role !== auth.user.role) return false;
		return sessionFreshness(found.session, app.authRuntime.now()) !== 'expired';
	}
	return false;
}
