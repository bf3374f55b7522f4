import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Env } from './env-schema';

/**
 * Provider keys at rest: AES-256-GCM with a key derived from SECRET_KEY, or, without one, a random
 * key generated once into DATA_DIR/secret.key (mode 0600). A database dump alone reveals no key.
 */
export type SecretConfig = Pick<Env, 'SECRET_KEY' | 'DATA_DIR'>;

export class SecretDecryptError extends Error {
	constructor(cause?: unknown) {
		super('A stored secret could not be decrypted (was SECRET_KEY or the data directory changed?).', {
			cause
		});
		this.name = 'SecretDecryptError';
	}
}

const VERSION = 'v1';
const SALT = 'switchboard/provider-keys/v1';
const keyCache = new Map<string, Buffer>();

function readOrCreateKeyFile(file: string): Buffer {
	mkdirSync(path.dirname(file), { recursive: true });
	try {
		// 'wx' fails if the file exists, so two processes starting together never overwrite each other's key.
		writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
	}
	const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
	if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte base64 key`);
	return key;
}

/** The 32-byte key, uncached: scrypt over SECRET_KEY (cheap once, costly to brute-force), else the key file. */
export function deriveEncryptionKey(config: SecretConfig): Buffer {
	if (config.SECRET_KEY) return scryptSync(config.SECRET_KEY, SALT, 32, { N: 2 ** 14, r: 8, p: 1 });
	return readOrCreateKeyFile(path.resolve(config.DATA_DIR, 'secret.key'));
}

function encryptionKey(config: SecretConfig): Buffer {
	const id = config.SECRET_KEY ? `secret:${config.SECRET_KEY}` : `file:${path.resolve(config.DATA_DIR)}`;
	let key = keyCache.get(id);
	if (!key) {
		key = deriveEncryptionKey(config);
		keyCache.set(id, key);
	}
	return key;
}

/** `v1.<iv>.<tag>.<ciphertext>`, base64url; a fresh 12-byte IV each time. */
export function encryptSecret(plaintext: string, config: SecretConfig): string {
	const iv = randomBytes(12);
	const cipher = createCipheriv('aes-256-gcm', encryptionKey(config), iv);
	const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
	return [VERSION, iv, cipher.getAuthTag(), data]
		.map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
		.join('.');
}

/** Throws SecretDecryptError for a wrong key, a tampered value or an unknown format. */
export function decryptSecret(ciphertext: string, config: SecretConfig): string {
	const [version, iv, tag, data] = ciphertext.split('.');
	if (version !== VERSION || !iv || !tag || data === undefined) throw new SecretDecryptError();
	try {
		const decipher = createDecipheriv('aes-256-gcm', encryptionKey(config), Buffer.from(iv, 'base64url'));
		decipher.setAuthTag(Buffer.from(tag, 'base64url'));
		return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString(
			'utf8'
		);
	} catch (error) {
		throw new SecretDecryptError(error);
	}
}

/** The last four characters, the only part of a key the UI shows; nothing for keys too short to hide. */
export function keyHint(secret: string): string {
	return secret.length >= 8 ? secret.slice(-4) : '';
}

/** The provider_configs columns for a new key (`null` clears it): spread into a repository update. */
export function sealApiKey(
	apiKey: string | null,
	config: SecretConfig
): { apiKeyEncrypted: string | null; apiKeyHint: string | null } {
	if (apiKey === null) return { apiKeyEncrypted: null, apiKeyHint: null };
	return { apiKeyEncrypted: encryptSecret(apiKey, config), apiKeyHint: keyHint(apiKey) };
}

/** Extra request headers at rest: one sealed JSON object, so names and values stay together. */
export function sealHeaderMap(headers: Record<string, string> | null, config: SecretConfig): string | null {
	return headers && Object.keys(headers).length ? encryptSecret(JSON.stringify(headers), config) : null;
}

/** Throws SecretDecryptError when the value cannot be opened or is not a map of strings. */
export function openHeaderMap(sealed: string, config: SecretConfig): Record<string, string> {
	const value: unknown = JSON.parse(decryptSecret(sealed, config));
	if (!value || typeof value !== 'object' || Object.values(value).some((v) => typeof v !== 'string'))
		throw new SecretDecryptError();
	return value as Record<string, string>;
}
