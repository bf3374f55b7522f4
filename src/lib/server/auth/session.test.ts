import { describe, expect, it } from 'vitest';
import {
	SESSION_INACTIVITY_MS,
	SESSION_RENEW_INTERVAL_MS,
	appOrigin,
	createSessionToken,
	generateSecureRandomString,
	parseSessionToken,
	readCookie,
	sessionFreshness,
	sessionSetCookie,
	verifySessionSecret
} from './session';

describe('session tokens', () => {
	it('are id.secret with 120 bits each, and only the secret hash is kept', () => {
		const { id, token, secretHash } = createSessionToken();
		const parsed = parseSessionToken(token);
		expect(parsed?.id).toBe(id);
		expect(secretHash).toMatch(/^[0-9a-f]{64}$/);
		expect(secretHash).not.toContain(parsed!.secret);
		expect(verifySessionSecret(parsed!.secret, secretHash)).toBe(true);
		expect(
			verifySessionSecret(
				parsed!.secret.replace(/.$/, (c) => (c === 'a' ? 'b' : 'a')),
				secretHash
			)
		).toBe(false);
		expect(verifySessionSecret(parsed!.secret, 'not hex')).toBe(false);
	});

	it('are random', () => {
		const seen = new Set(Array.from({ length: 1000 }, () => generateSecureRandomString()));
		expect(seen.size).toBe(1000);
		expect([...seen][0]).toMatch(/^[a-km-np-z2-9]{24}$/);
	});

	it('parse strictly', () => {
		for (const bad of [
			'',
			'a.b',
			`${'a'.repeat(24)}`,
			`${'a'.repeat(24)}.${'a'.repeat(23)}`,
			`${'A'.repeat(24)}.${'a'.repeat(24)}`
		]) {
			expect(parseSessionToken(bad), bad).toBeNull();
		}
	});
});

describe('sessionFreshness', () => {
	const at = new Date('2026-01-01T00:00:00Z');
	const after = (ms: number) => new Date(at.getTime() + ms);

	it('is fresh within the hour, renews after it, expires after 30 idle days', () => {
		expect(sessionFreshness({ lastVerifiedAt: at }, after(0))).toBe('fresh');
		expect(sessionFreshness({ lastVerifiedAt: at }, after(SESSION_RENEW_INTERVAL_MS - 1))).toBe('fresh');
		expect(sessionFreshness({ lastVerifiedAt: at }, after(SESSION_RENEW_INTERVAL_MS))).toBe('renew');
		expect(sessionFreshness({ lastVerifiedAt: at }, after(SESSION_INACTIVITY_MS - 1))).toBe('renew');
		expect(sessionFreshness({ lastVerifiedAt: at }, after(SESSION_INACTIVITY_MS))).toBe('expired');
	});
});

describe('cookies', () => {
	const now = new Date('2026-01-01T00:00:00Z');

	it('serialise with HttpOnly, SameSite=Lax, Path=/ and Secure only when asked', () => {
		const expiresAt = new Date(now.getTime() + 3600_000);
		expect(sessionSetCookie('tok', { secure: false, expiresAt, now })).toBe(
			'switchboard_session=tok; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax'
		);
		expect(sessionSetCookie('tok', { secure: true, expiresAt, now })).toMatch(/; Secure$/);
		expect(sessionSetCookie(null, { secure: false, expiresAt, now })).toBe(
			'switchboard_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax'
		);
	});

	it('read one cookie among others', () => {
		expect(readCookie('a=1; switchboard_session=x.y; b=2', 'switchboard_session')).toBe('x.y');
		expect(readCookie('xswitchboard_session=1', 'switchboard_session')).toBeNull();
		expect(readCookie(null, 'switchboard_session')).toBeNull();
	});

	it('take the app origin from ORIGIN, else from the request', () => {
		expect(appOrigin({ ORIGIN: 'https://chat.example.com/' }, 'http://10.0.0.5:3000/x')).toBe(
			'https://chat.example.com'
		);
		expect(appOrigin({}, 'http://127.0.0.1:3000/api/trpc')).toBe('http://127.0.0.1:3000');
	});
});
