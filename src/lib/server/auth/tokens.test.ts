import { describe, expect, it } from 'vitest';
import {
	API_TOKEN_PREFIX,
	generateApiToken,
	hashApiToken,
	isApiTokenFormat,
	shouldTouchToken,
	tokenHint
} from './tokens';

describe('API tokens', () => {
	it('have a recognisable prefix, 200 random bits, a hash and a 4-character hint', () => {
		const { token, tokenHash, hint } = generateApiToken();
		expect(token.startsWith(API_TOKEN_PREFIX)).toBe(true);
		expect(token).toMatch(/^sb_[a-z2-9]{40}$/);
		expect(isApiTokenFormat(token)).toBe(true);
		expect(tokenHash).toBe(hashApiToken(token));
		expect(tokenHash).not.toContain(token.slice(3));
		expect(hint).toBe(token.slice(-4));
		expect(tokenHint('sb_abcdwxyz')).toBe('wxyz');
		expect(generateApiToken().token).not.toBe(token);
	});

	it('are recognised strictly', () => {
		for (const bad of [
			'sb_short',
			'sk_' + 'a'.repeat(40),
			'sb_' + 'A'.repeat(40),
			`${'a'.repeat(24)}.${'b'.repeat(24)}`
		]) {
			expect(isApiTokenFormat(bad), bad).toBe(false);
		}
	});

	it('record use at most once a minute', () => {
		const at = new Date('2026-01-01T00:00:00Z');
		expect(shouldTouchToken(null, at)).toBe(true);
		expect(shouldTouchToken(at, new Date(at.getTime() + 59_999))).toBe(false);
		expect(shouldTouchToken(at, new Date(at.getTime() + 60_000))).toBe(true);
	});
});
