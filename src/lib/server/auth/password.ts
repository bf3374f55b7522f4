import { hash, verify } from '@node-rs/argon2';
import { PASSWORD_MAX, PASSWORD_MIN, passwordLength } from '$lib/schemas/auth';

/*
 * argon2id with @node-rs/argon2's defaults (memoryCost 19456 KiB, timeCost 2, parallelism 1: OWASP's
 * first recommendation). Its default algorithm is argon2id; the enum is a `const enum`, which
 * isolated modules cannot import, so the tests assert the `$argon2id$` prefix instead.
 * Unlike bcrypt, argon2 reads the whole input, so nothing is silently truncated.
 */

/**
 * NFKC so the same password typed on another keyboard or OS (composed vs decomposed accents,
 * full-width digits) still matches (NIST SP 800-63B 5.1.1.2). Nothing else is changed: no trimming.
 */
function normalize(password: string): string {
	return password.normalize('NFKC');
}

export type PasswordProblem = 'too_short' | 'too_long';

/** The policy, as a pure check (the zod schema enforces the same bounds at the edge). */
export function checkPasswordPolicy(password: string): PasswordProblem | null {
	const length = passwordLength(password);
	if (length < PASSWORD_MIN) return 'too_short';
	if (length > PASSWORD_MAX) return 'too_long';
	return null;
}

export function hashPassword(password: string): Promise<string> {
	return hash(normalize(password));
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
	try {
		return await verify(passwordHash, normalize(password));
	} catch {
		// A malformed stored hash is a failed check, never a crash that reveals which accounts exist.
		return false;
	}
}

let dummyHash: Promise<string> | undefined;

/**
 * Verifies against a hash of a random password, so an unknown email costs the same argon2 work as
 * a wrong password and timing does not tell them apart. The hash is made once, with the same
 * parameters as real ones.
 */
export async function verifyDummyPassword(password: string): Promise<false> {
	dummyHash ??= hash(crypto.randomUUID());
	await verifyPassword(await dummyHash, password);
	return false;
}
