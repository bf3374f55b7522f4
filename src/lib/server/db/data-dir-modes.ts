import { chmod, lstat, readdir } from 'node:fs/promises';
import path from 'node:path';

/** Owner-only: PGlite's WAL holds email addresses and DATA_DIR holds the secret key file. */
const PRIVATE_UMASK = 0o077;

/**
 * Called once at start, before anything is written: from here on the process creates owner-only
 * files (PGlite's thread shares the umask), and what an older install left open is closed.
 * Returns how many existing entries had to change.
 */
export async function secureDataDir(dataDir: string): Promise<number> {
	process.umask(PRIVATE_UMASK);
	return restrictDataDir(dataDir);
}

/**
 * Makes everything under `dataDir` owner-only and returns how many entries it changed. Installs
 * from before the umask have world-readable (even world-writable) files; new ones never do.
 * Symlinks are left alone: chmod would follow them out of the data directory.
 */
export async function restrictDataDir(dataDir: string): Promise<number> {
	const stat = await lstat(dataDir).catch((error: NodeJS.ErrnoException) => {
		if (error.code === 'ENOENT') return undefined;
		throw error;
	});
	if (!stat || stat.isSymbolicLink()) return 0;
	let changed = 0;
	// Group and other bits go; the owner's stay (0666 -> 0600, 0755 -> 0700).
	if ((stat.mode & PRIVATE_UMASK) !== 0) {
		await chmod(dataDir, stat.mode & 0o700);
		changed++;
	}
	if (stat.isDirectory()) {
		for (const entry of await readdir(dataDir)) changed += await restrictDataDir(path.join(dataDir, entry));
	}
	return changed;
}
