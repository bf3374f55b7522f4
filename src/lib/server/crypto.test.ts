import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
	decryptSecret,
	deriveEncryptionKey,
	encryptSecret,
	keyHint,
	sealApiKey,
	SecretDecryptError
} from './crypto';

const dataDir = () => mkdtempSync(path.join(tmpdir(), 'switchboard-crypto-'));
const withSecret = { SECRET_KEY: 'a-long-enough-secret-key', DATA_DIR: './unused' };

describe('crypto', () => {
	it('round-trips, and the stored value is not the plaintext', () => {
		const key = 'sk-ant-api03-very-secret-value';
		const sealed = encryptSecret(key, withSecret);
		expect(sealed).not.toContain(key);
		expect(sealed).not.toContain(Buffer.from(key).toString('base64url'));
		expect(sealed.startsWith('v1.')).toBe(true);
		expect(decryptSecret(sealed, withSecret)).toBe(key);
	});

	it('uses a fresh IV each time', () => {
		expect(encryptSecret('same', withSecret)).not.toBe(encryptSecret('same', withSecret));
	});

	it('refuses a wrong SECRET_KEY and a tampered value', () => {
		const sealed = encryptSecret('secret', withSecret);
		expect(() => decryptSecret(sealed, { ...withSecret, SECRET_KEY: 'another-secret-key-xyz' })).toThrow(
			SecretDecryptError
		);
		const parts = sealed.split('.');
		parts[3] = Buffer.from('tampered').toString('base64url');
		expect(() => decryptSecret(parts.join('.'), withSecret)).toThrow(SecretDecryptError);
		expect(() => decryptSecret('plaintext-key', withSecret)).toThrow(SecretDecryptError);
	});

	it('without SECRET_KEY generates a key file once, mode 0600, and reuses it', () => {
		const config = { DATA_DIR: dataDir() };
		const first = deriveEncryptionKey(config);
		const file = path.join(config.DATA_DIR, 'secret.key');
		expect(statSync(file).mode & 0o777).toBe(0o600);
		// A later process (uncached derivation) reads the same key back.
		expect(deriveEncryptionKey(config).equals(first)).toBe(true);
		const sealed = encryptSecret('k', config);
		expect(decryptSecret(sealed, config)).toBe('k');
		expect(() => decryptSecret(sealed, { DATA_DIR: dataDir() })).toThrow(SecretDecryptError);
	});

	it('hints with the last four characters only', () => {
		expect(keyHint('sk-abcdefgh1234')).toBe('1234');
		expect(keyHint('short')).toBe('');
		expect(sealApiKey(null, withSecret)).toEqual({ apiKeyEncrypted: null, apiKeyHint: null });
		const sealed = sealApiKey('sk-abcdefgh1234', withSecret);
		expect(sealed.apiKeyHint).toBe('1234');
		expect(decryptSecret(sealed.apiKeyEncrypted!, withSecret)).toBe('sk-abcdefgh1234');
	});
});
