import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '$lib/server/db/client';

describe('creating the embedded cluster (in a process of its own)', () => {
	const root = mkdtempSync(path.join(os.tmpdir(), 'switchboard-create-cluster-'));
	afterAll(() => rmSync(root, { recursive: true, force: true }));

	it("fails the start with the directory and the file system's reason", async () => {
		// Files where initdb makes directories: the cluster cannot be made there.
		mkdirSync(path.join(root, 'pglite'));
		for (const name of ['base', 'global']) writeFileSync(path.join(root, 'pglite', name), 'x');
		const opening = openDatabase({ dataDir: root });
		await expect(opening).rejects.toThrow(
			`Could not create the embedded database in ${path.join(root, 'pglite')}: ErrnoError`
		);
	}, 60_000);

	it('makes the cluster when the worker file is reached through a symlinked directory', async () => {
		// A deploy's `current` link: Node names the entry module by its real path, argv[1] by the link's.
		const dbDir = fileURLToPath(new URL('../../../src/lib/server/db', import.meta.url));
		const linked = path.join(root, 'linked-db');
		symlinkSync(dbDir, linked);
		const location = path.join(root, 'through-link');
		mkdirSync(location);
		await promisify(execFile)(process.execPath, [path.join(linked, 'pglite-worker.js'), location]);
		expect(existsSync(path.join(location, 'PG_VERSION'))).toBe(true);
	}, 60_000);
});
