import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openDatabase } from '$lib/server/db/client';
import { migrationsFolder } from '$lib/server/db/migrate';
import { readMigrations } from '$lib/server/db/migrations/journal.js';
import { selectRows } from '$lib/server/db/select-rows';

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

	it('applies the migrations in the process that makes the cluster, before the serving thread opens it', async () => {
		const handle = await openDatabase({ dataDir: path.join(root, 'migrated'), migrationsFolder });
		try {
			// Nothing has run prepareDatabase: whatever is applied, the cluster's own process applied.
			const rows = await selectRows<{ applied: number }>(
				handle.db,
				sql`select count(*)::int as applied from drizzle.__drizzle_migrations`
			);
			expect(rows[0]?.applied).toBe(readMigrations(migrationsFolder).length);
		} finally {
			await handle.close();
		}
	}, 60_000);

	it("fails the start with a migration's own error when one cannot be applied", async () => {
		const folder = path.join(root, 'broken-migrations');
		mkdirSync(path.join(folder, 'meta'), { recursive: true });
		const entry = { idx: 0, version: '7', when: 1, tag: '0000_broken', breakpoints: true };
		writeFileSync(path.join(folder, 'meta', '_journal.json'), JSON.stringify({ entries: [entry] }));
		writeFileSync(path.join(folder, '0000_broken.sql'), 'create table broken (id no_such_type);');
		writeFileSync(path.join(folder, '0000_broken.down.sql'), 'drop table broken;');
		const location = path.join(root, 'broken', 'pglite');
		await expect(
			openDatabase({ dataDir: path.join(root, 'broken'), migrationsFolder: folder })
		).rejects.toThrow(
			`Could not create the embedded database in ${location}: Migration 0000_broken (up) failed: type "no_such_type" does not exist`
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
