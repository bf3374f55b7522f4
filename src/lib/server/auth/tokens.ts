import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { generateSecureRandomString } from './session';

/*
 * API tokens for the SDK and CLI: `sb_` + 40 random characters (200 bits). The prefix makes a
 * leaked token recognisable to secret scanners and to the log redactor (log.ts masks `sb_…`).
 * Only SHA-256 of the whole token is stored. Looking a token up by that hash is safe without a
 * constant-time compare: timing could at best reveal bits of a hash, which brings an attacker no
 * closer to a preimage of a 200-bit random secret.
 */

export const API_TOKEN_PREFIX = 'sb_';
const TOKEN_BODY_LENGTH = 40;
const tokenPattern = new RegExp(`^${API_TOKEN_PREFIX}[a-z2-9]{${TOKEN_BODY_LENGTH}}$`);

/** lastUsedAt is written at most once a minute: a busy script must not cost a write per call. */
export const TOKEN_TOUCH_INTERVAL_MS = 60_000;

export type NewApiToken = { token: string; tokenHash: string; hint: string };

export function generateApiToken(): NewApiToken {
	const token = API_TOKEN_PREFIX + generateSecureRandomString(TOKEN_BODY_LENGTH);
	return { token, tokenHash: hashApiToken(token), hint: tokenHint(token) };
}

export function isApiTokenFormat(value: string): boolean {
	return tokenPattern.test(value);
}

export function hashApiToken(token: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

/** The last 4 characters: enough to tell tokens apart in a list, far too few to guess the rest. */
export function tokenHint(token: string): string {
	return token.slice(-4);
}

export function shouldTouchToken(lastUsedAt: Date | null, now: Date): boolean {
	return !lastUsedAt || now.getTime() - lastUsedAt.getTime() >= TOKEN_TOUCH_INTERVAL_MS;
}
