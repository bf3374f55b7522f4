import { describe, expect, it } from 'vitest';
import { newPasswordSchema, signUpInput } from '$lib/schemas/auth';
import { checkPasswordPolicy, hashPassword, verifyDummyPassword, verifyPassword } from './password';

describe('password policy', () => {
	it('allows 8 to 256 characters, counted as characters, not bytes or UTF-16 units', () => {
		expect(checkPasswordPolicy('1234567')).toBe('too_short');
		expect(checkPasswordPolicy('12345678')).toBeNull();
		expect(checkPasswordPolicy('x'.repeat(256))).toBeNull();
		expect(checkPasswordPolicy('x'.repeat(257))).toBe('too_long');
		// 256 emoji: 512 UTF-16 units, 1024 bytes, 256 characters.
		expect(checkPasswordPolicy('🔑'.repeat(256))).toBeNull();
		expect(checkPasswordPolicy('🔑'.repeat(7))).toBe('too_short');
	});

	it('is the same in the zod schema the browser uses', () => {
		expect(newPasswordSchema.safeParse('🔑'.repeat(8)).success).toBe(true);
		expect(newPasswordSchema.safeParse('🔑'.repeat(257)).success).toBe(false);
		expect(newPasswordSchema.safeParse('        ').success).toBe(true);
		const parsed = signUpInput.parse({ email: ' A@B.CO ', password: '  spaced  ', name: '  ' });
		expect(parsed).toEqual({ email: 'a@b.co', password: '  spaced  ', name: undefined });
	});
});

describe('argon2id hashing', () => {
	it('hashes with argon2id and verifies exactly', async () => {
		const hash = await hashPassword('pässwörd 🔑 密码');
		expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
		expect(await verifyPassword(hash, 'pässwörd 🔑 密码')).toBe(true);
		expect(await verifyPassword(hash, 'pässwörd 🔑 密码 ')).toBe(false);
	});

	it('never truncates: a difference at character 256 matters', async () => {
		const hash = await hashPassword('a'.repeat(255) + 'b');
		expect(await verifyPassword(hash, 'a'.repeat(256))).toBe(false);
	});

	it('treats composed and decomposed accents as the same password (NFKC)', async () => {
		const hash = await hashPassword('caf\u00e9 au lait');
		expect(await verifyPassword(hash, 'cafe\u0301 au lait')).toBe(true);
	});

	it('fails closed on a malformed stored hash, and the dummy check always fails', async () => {
		expect(await verifyPassword('not a hash', 'whatever')).toBe(false);
		expect(await verifyDummyPassword('whatever')).toBe(false);
	});
});
