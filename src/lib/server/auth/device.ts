import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/*
 * Device cookies (OWASP's answer to lockout attacks): a browser that signed in to an account once
 * gets a cookie naming a random device id, signed with the app's secret and bound to that account.
 * Its sign-ins are then throttled on their own (throttle.ts), so failures an attacker runs up
 * against the account or from a shared address never block its owner's usual browser. It is not
 * a credential: the password is still checked; it only says "this browser has been here before".
 */

export const DEVICE_COOKIE = 'switchboard_device';

/** Long, because it only helps: a browser without it is merely throttled like a stranger. */
export const DEVICE_COOKIE_MAX_AGE_S = 180 * 24 * 60 * 60;

/** The HMAC key, derived from the app's secret key material and used for nothing else. */
export function deriveDeviceKey(secret: Uint8Array): Buffer {
	return Buffer.from(hkdfSync('sha256', secret, new Uint8Array(0), 'switchboard/device-cookie/v1', 32));
}

function sign(key: Buffer, userId: string, deviceId: string): string {
	return createHmac('sha256', key).update(`${userId}\n${deviceId}`).digest('base64url');
}

/** A new cookie value for a browser that just signed in as `userId`. */
export function issueDeviceToken(key: Buffer, userId: string): string {
	const deviceId = randomBytes(18).toString('base64url');
	return `${deviceId}.${sign(key, userId, deviceId)}`;
}

/** The device id when `token` was issued by this app for this very account, else null. */
export function verifyDeviceToken(
	key: Buffer,
	token: string | null | undefined,
	userId: string
): string | null {
	const match = token ? /^([A-Za-z0-9_-]{24})\.([A-Za-z0-9_-]{43})$/.exec(token) : null;
	if (!match) return null;
	const expected = Buffer.from(sign(key, userId, match[1]));
	const given = Buffer.from(match[2]);
	return given.length === expected.length && timingSafeEqual(given, expected) ? match[1] : null;
}
