import type { Executor } from '../db/client';
import type { AuthCache } from './auth-cache';
import * as sessionRepo from '../db/repositories/session-repository';
import type { SessionUser } from '../db/repositories/session-repository';
import {
	createSessionToken,
	parseSessionToken,
	sessionExpiresAt,
	sessionFreshness,
	verifySessionSecret
} from './session';

export type IssuedSession = { id: string; token: string; expiresAt: Date };

export async function createSession(db: Executor, userId: string, now: Date): Promise<IssuedSession> {
	const { id, token, secretHash } = createSessionToken();
	await sessionRepo.insertSession(db, { id, secretHash, userId, now });
	return { id, token, expiresAt: sessionExpiresAt(now) };
}

export type ValidSession = {
	id: string;
	user: SessionUser;
	expiresAt: Date;
	/** True when this request extended the session: the cookie should be sent again with the new expiry. */
	renewed: boolean;
};

/**
 * The session behind a cookie value, or null. An expired session is deleted on sight; one past
 * the renewal interval gets a new lastVerifiedAt (sliding expiry). Disabled users get null at
 * once, whatever the state of their sessions. The row comes from the auth cache when it holds it;
 * the checks run on every call either way.
 */
export async function validateSessionToken(
	db: Executor,
	cache: AuthCache,
	token: string,
	now: Date
): Promise<ValidSession | null> {
	const parsed = parseSessionToken(token);
	if (!parsed) return null;
	const found = await cache.session(parsed.id, () => sessionRepo.findSessionWithUser(db, parsed.id));
	if (!found || !verifySessionSecret(parsed.secret, found.session.secretHash)) return null;
	const { session, user } = found;
	if (user.disabled) return null;
	const freshness = sessionFreshness(session, now);
	if (freshness === 'expired') {
		await sessionRepo.deleteSession(db, user.id, session.id);
		cache.invalidateSession(session.id);
		return null;
	}
	if (freshness === 'renew') {
		await sessionRepo.touchSession(db, user.id, session.id, now);
		cache.sessionTouched(session.id, now);
		return { id: session.id, user, expiresAt: sessionExpiresAt(now), renewed: true };
	}
	return { id: session.id, user, expiresAt: sessionExpiresAt(session.lastVerifiedAt), renewed: false };
}
