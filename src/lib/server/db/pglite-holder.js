// Plain JavaScript with JSDoc types: the db:* scripts import it directly in the production image,
// which has neither tsx nor the TypeScript sources' build step.
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/*
 * PGlite writes postmaster.pid while its directory is open and removes it on close, but the pid in
 * it is a constant of its WebAssembly build, so it cannot tell a live holder from one that was
 * killed. The app therefore records its own pid beside the directory (not inside it: a backup of
 * the directory must not carry it) once the database is open, and removes it on close.
 */

/** @param {string} pgliteDir */
const holderFile = (pgliteDir) => `${pgliteDir}.holder`;

/**
 * Records this process as the holder of an open PGlite directory.
 * @param {string} pgliteDir
 * @returns {() => void} gives the directory up (only if this process is still its recorded holder)
 */
export function holdPglite(pgliteDir) {
	writeFileSync(holderFile(pgliteDir), `${process.pid}\n`, { mode: 0o600 });
	return () => {
		if (readHolder(pgliteDir) === process.pid) rmSync(holderFile(pgliteDir), { force: true });
	};
}

/**
 * Whether a PGlite directory may be opened: `free` (nothing has it open), `stale` (postmaster.pid
 * was left by a holder that is no longer running: PGlite opens it again as after a crash) or
 * `held` (a process has it open, or nothing says its writer is gone).
 * @param {string} pgliteDir
 * @returns {{ state: 'free' } | { state: 'held' } | { state: 'stale'; pid: number }}
 */
export function pgliteState(pgliteDir) {
	const lock = path.join(pgliteDir, 'postmaster.pid');
	if (!existsSync(lock)) return { state: 'free' };
	const pid = readHolder(pgliteDir);
	// A lock newer than the holder's record was written by someone else (a later opener without one).
	if (pid === undefined || statSync(lock).mtimeMs > statSync(holderFile(pgliteDir)).mtimeMs) {
		return { state: 'held' };
	}
	return isAlive(pid) ? { state: 'held' } : { state: 'stale', pid };
}

/** @param {string} pgliteDir @returns {number | undefined} */
function readHolder(pgliteDir) {
	try {
		const pid = Number.parseInt(readFileSync(holderFile(pgliteDir), 'utf8'), 10);
		return Number.isInteger(pid) && pid > 0 ? pid : undefined;
	} catch {
		return undefined;
	}
}

/** @param {number} pid */
function isAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		// EPERM: it exists, under another user.
		return /** @type {NodeJS.ErrnoException} */ (error).code === 'EPERM';
	}
}
