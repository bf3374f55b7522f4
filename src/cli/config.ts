import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { NotLoggedInError } from './exit-codes';

export type StoredConfig = { url: string; token: string };
export type Env = Record<string, string | undefined>;

/** `SWITCHBOARD_CONFIG`, else `~/.config/switchboard/config.json`. */
export function configPath(env: Env, home: string = homedir()): string {
	return env.SWITCHBOARD_CONFIG || join(home, '.config', 'switchboard', 'config.json');
}

function isStoredConfig(value: unknown): value is StoredConfig {
	if (typeof value !== 'object' || value === null) return false;
	const { url, token } = value as Record<string, unknown>;
	return typeof url === 'string' && typeof token === 'string';
}

/** The saved login, or null when there is none yet. A damaged file is an error, not "logged out". */
export async function readConfig(path: string): Promise<StoredConfig | null> {
	let text: string;
	try {
		text = await readFile(path, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
		throw error;
	}
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		throw new Error(`${path} is not valid JSON: run \`switchboard login\` again`);
	}
	if (!isStoredConfig(parsed))
		throw new Error(`${path} has no url and token: run \`switchboard login\` again`);
	return { url: parsed.url, token: parsed.token };
}

/**
 * Saves the login readable by its owner only (0600, directory 0700): the token is a password.
 * Written to a temporary file and renamed, so a crash never leaves half a file, and an older file
 * with looser permissions is replaced rather than rewritten in place.
 */
export async function writeConfig(path: string, config: StoredConfig): Promise<void> {
	await mkdir(dirname(path), { recursive: true, mode: 0o700 });
	const temporary = `${path}.${process.pid}.tmp`;
	await writeFile(temporary, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
	// The mode given to writeFile passes through the umask; chmod makes it exact.
	await chmod(temporary, 0o600);
	await rename(temporary, path);
}

/** Where to connect: SWITCHBOARD_URL / SWITCHBOARD_TOKEN override the saved login, each on its own. */
export function resolveConnection(env: Env, stored: StoredConfig | null): StoredConfig {
	const url = env.SWITCHBOARD_URL || stored?.url;
	const token = env.SWITCHBOARD_TOKEN || stored?.token;
	if (!url || !token) {
		throw new NotLoggedInError(
			'Not logged in: run `switchboard login` (or set SWITCHBOARD_URL and SWITCHBOARD_TOKEN).'
		);
	}
	return { url, token };
}
