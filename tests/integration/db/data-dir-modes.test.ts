import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { restrictDataDir } from '$lib/server/db/data-dir-modes';

/** Every path under `root` (itself included) whose group or other permission bits are set. */
function openToOthers(root: string): string[] {
	const found: string[] = [];
	const visit = (entry: string) => {
		const stat = statSync(entry);
		if (stat.mode & 0o077)
			found.push(`${path.relative(root, entry) || '.'} ${(stat.mode & 0o777).toString(8)}`);
		if (stat.isDirectory()) for (const child of readdirSync(entry)) visit(path.join(entry, child));
	};
	visit(root);
	return found;
}

describe('data directory modes', () => {
	const scratch: string[] = [];
	const tempDir = () => {
		const dir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-modes-'));
		scratch.push(dir);
		return dir;
	};
	afterEach(() => {
		for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
	});

	it('a fresh start creates the data directory, PGlite files and the secret key owner-only', async () => {
		const dataDir = path.join(tempDir(), 'data');
		const script = fileURLToPath(new URL('./fixtures/fresh-start.ts', import.meta.url));
		// The child inherits the usual umask (022), as a server started from a shell would.
		const child = spawn(process.execPath, ['--import', 'tsx', script, dataDir], { stdio: 'inherit' });
		const code = await new Promise((resolve) => child.on('exit', resolve));
		expect(code).toBe(0);
		expect(statSync(path.join(dataDir, 'secret.key')).isFile()).toBe(true);
		expect(readdirSync(path.join(dataDir, 'pglite')).length).toBeGreaterThan(0);
		expect(openToOthers(dataDir)).toEqual([]);
	}, 180_000);

	it('closes what an older install left open and counts it, keeping the owner bits', async () => {
		const dataDir = tempDir();
		mkdirSync(path.join(dataDir, 'pglite', 'pg_wal'), { recursive: true, mode: 0o755 });
		writeFileSync(path.join(dataDir, 'pglite', 'pg_ident.conf'), '', { mode: 0o666 });
		writeFileSync(path.join(dataDir, 'secret.key'), 'key\n', { mode: 0o600 });
		chmodSync(path.join(dataDir, 'pglite', 'pg_ident.conf'), 0o666);
		chmodSync(dataDir, 0o755);

		expect(await restrictDataDir(dataDir)).toBe(4);
		expect(openToOthers(dataDir)).toEqual([]);
		expect(statSync(path.join(dataDir, 'pglite', 'pg_wal')).mode & 0o777).toBe(0o700);
		expect(statSync(path.join(dataDir, 'pglite', 'pg_ident.conf')).mode & 0o777).toBe(0o600);
		expect(await restrictDataDir(dataDir)).toBe(0);
	});
});
