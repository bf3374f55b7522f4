import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { decodeHex, encodeHexLowerCase } from '@oslojs/encoding';

/*
 * Sessions on Lucia's current scheme (lucia-auth.com/sessions/basic): the cookie holds
 * `<id>.<secret>`; the database keeps the id and SHA-256(secret) only, so a leaked table cannot be
 * replayed, and the secret is compared in constant time, so response timing says nothing about it.
 * The separate id means the lookup itself never depends on the secret.
 */

export const SESSION_COOKIE = 'switchboard_session';

/** A session ends after 30 days without a request, and lives on as long as it is used. */
export const SESSION_INACTIVITY_MS = 30 * 24 * 60 * 60 * 1000;
/** lastVerifiedAt is written at most hourly, so an active user costs one write an hour, not one per request. */
export const SESSION_RENEW_INTERVAL_MS = 60 * 60 * 1000;

// Lucia's alphabet: a-z and 2-9 without l, o, 0, 1, so ids read back unambiguously.
const alphabet = 'abcdefghijkmnpqrstuvwxyz23456789';

/** 24 characters of 5 random bits: 120 bits, enough for an id and for a secret. */
export function generateSecureRandomString(length = 24): string {
	const bytes = new Uint8Array(length);
	crypto.getRandomValues(bytes);
	let out = '';
	for (const byte of bytes) out += alphabet[byte >> 3];
	return out;
}

export function hashSecret(secret: string): Uint8Array {
	return sha256(new TextEncoder().encode(secret));
}

export type NewSessionToken = { id: string; token: string; secretHash: string };

export function createSessionToken(): NewSessionToken {
	const id = generateSecureRandomString();
	const secret = generateSecureRandomString();
	return { id, token: `${id}.${secret}`, secretHash: encodeHexLowerCase(hashSecret(secret)) };
}

const tokenPattern = /^([a-z2-9]{24})\.([a-z2-9]{24})$/;

/** Splits a cookie value into id and secret; anything else is not a session token. */
export function parseSessionToken(token: string): { id: string; secret: string } | null {
	const match = tokenPattern.exec(token);
	return match ? { id: match[1], secret: match[2] } : null;
}

export function verifySessionSecret(secret: string, storedHashHex: string): boolean {
	let stored: Uint8Array;
	try {
		stored = decodeHex(storedHashHex);
	} catch {
		return false;
	}
	return constantTimeEqual(hashSecret(secret), stored);
}

export type SessionTimes = { lastVerifiedAt: Date };

/**
 * What to do with a found session at `now`: refuse it after the inactivity limit, extend it when
 * the last extension is over an hour old, else use it as it is.
 */
export function sessionFreshness(session: SessionTimes, now: Date): 'expired' | 'renew' | 'fresh' {
	const idle = now.getTime() - session.lastVerifiedAt.getTime();
	if (idle >= SESSION_INACTIVITY_MS) return 'expired';
	if (idle >= SESSION_RENEW_INTERVAL_MS) return 'renew';
	return 'fresh';
}

export function sessionExpiresAt(lastVerifiedAt: Date): Date {
	return new Date(lastVerifiedAt.getTime() + SESSION_INACTIVITY_MS);
}

/** The origin the app is reached at: ORIGIN when configured (behind a proxy), else the request's own. */
export function appOrigin(config: { ORIGIN?: string }, requestUrl: string | URL): string {
	return new URL(config.ORIGIN ?? requestUrl).origin;
}

export type CookieOptions = {
	httpOnly: true;
	sameSite: 'lax';
	path: '/';
	secure: boolean;
	maxAge: number;
};

/**
 * HttpOnly keeps scripts away from the token; SameSite=Lax keeps it off cross-site subrequests and
 * posts; Secure whenever the app is served over https (plain http on localhost would drop it).
 */
export function sessionCookieOptions(secure: boolean, expiresAt: Date | null, now: Date): CookieOptions {
	const maxAge = expiresAt ? Math.max(0, Math.round((expiresAt.getTime() - now.getTime()) / 1000)) : 0;
	return { httpOnly: true, sameSite: 'lax', path: '/', secure, maxAge };
}

/** A Set-Cookie value, for responses that do not go through SvelteKit's `cookies` (tRPC). */
export function serializeCookie(name: string, value: string, options: CookieOptions): string {
	const parts = [
		`${name}=${value}`,
		`Path=${options.path}`,
		`Max-Age=${options.maxAge}`,
		'HttpOnly',
		'SameSite=Lax'
	];
	if (options.secure) parts.push('Secure');
	return parts.join('; ');
}

/** Reads one cookie from a Cookie header without decoding surprises: session tokens are plain ASCII. */
export function readCookie(header: string | null, name: string): string | null {
	if (!header) return null;
	for (const part of header.split(';')) {
		const index = part.indexOf('=');
		if (index < 0) continue;
		if (part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
	}
	return null;
}

/** The Set-Cookie value that stores (or, with a null token, clears) the session cookie. */
export function sessionSetCookie(
	token: string | null,
	options: { secure: boolean; expiresAt: Date | null; now: Date }
): string {
	return serializeCookie(
		SESSION_COOKIE,
		token ?? '',
		sessionCookieOptions(options.secure, token ? options.expiresAt : null, options.now)
	);
}
