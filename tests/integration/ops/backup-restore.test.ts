import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationsFolder } from '$lib/server/db/migrate';
import { holdPglite } from '$lib/server/db/pglite-holder.js';
import { readMigrations } from '$lib/server/db/migrations/journal.js';
import { migrateTo } from '$lib/server/db/migrations/runner.js';
import { insertRealisticData, snapshot, type Snapshot } from './realistic-data';
import { createScratch, runScript, type Scratch } from './scratch';

/*
 * npm run db:backup / db:restore as an operator runs them, against a database of this test's own
 * on the suite's driver: backup, change the data, restore, and the data is back.
 */
describe('db:backup and db:restore', () => {
	let scratch: Scratch;
	let backupDir: string;
	beforeAll(async () => {
		scratch = await createScratch('backup');
		backupDir = await mkdtemp(path.join(tmpdir(), 'switchboard-backups-'));
	});
	afterAll(async () => {
		await scratch?.dispose();
		await rm(backupDir, { recursive: true, force: true });
	});

	async function withDatabase<T>(work: (db: Awaited<ReturnType<Scratch['open']>>) => Promise<T>): Promise<T> {
		const db = await scratch.open();
		try {
			return await work(db);
		} finally {
			await db.close();
		}
	}

	it('backs up, and a restore after changes brings every row back', { timeout: 300_000 }, async () => {
		const original: Snapshot = await withDatabase(async (db) => {
			await migrateTo(db, readMigrations(migrationsFolder));
			await insertRealisticData(db);
			return snapshot(db);
		});

		const file = path.join(backupDir, 'before-change.backup');
		const backup = await runScript('backup.mjs', ['--out', file], scratch.env);
		expect(backup).toMatchObject({ code: 0, stdout: `${file}\n` });
		expect(statSync(file).mode & 0o777).toBe(0o600);
		// The partial file it wrote first is gone.
		expect(readdirSync(backupDir)).toEqual(['before-change.backup']);

		await withDatabase(async (db) => {
			await db.query(`update users set name = 'Changed' where email = 'ada@example.com'`);
			await db.query(`delete from messages where role = 'assistant'`);
			await db.query(`insert into users (email, password_hash) values ('late@example.com', 'x')`);
			// A table the backup never had, as a later migration would create: gone after restore.
			await db.query('create table added_after_backup (id int)');
			expect(await snapshot(db)).not.toEqual(original);
		});

		const restore = await runScript('restore.mjs', [file], scratch.env);
		expect(restore.stderr).toContain(`Restored ${file}`);
		expect(restore.code).toBe(0);
		await withDatabase(async (db) => {
			expect(await snapshot(db)).toEqual(original);
		});
	});

	it(
		'refuses a file that is not a backup, and leaves the database as it was',
		{ timeout: 300_000 },
		async () => {
			const before = await withDatabase(snapshot);
			const bogus = path.join(backupDir, 'not-a-backup.txt');
			writeFileSync(bogus, 'hello');
			const restore = await runScript('restore.mjs', [bogus], scratch.env);
			expect(restore.code).toBe(1);
			expect(restore.stderr.trim().split('\n')).toHaveLength(1);
			await withDatabase(async (db) => {
				expect(await snapshot(db)).toEqual(before);
			});
		}
	);

	it('refuses with a usage line when no file is given, and names a missing file', async () => {
		expect(await runScript('restore.mjs', [], scratch.env)).toMatchObject({
			code: 1,
			stderr: 'Usage: npm run db:restore -- FILE\n'
		});
		const missing = path.join(backupDir, 'missing.dump');
		expect(await runScript('restore.mjs', [missing], scratch.env)).toMatchObject({
			code: 1,
			stderr: `No backup file at ${missing}\n`
		});
	});

	it.runIf(!process.env.DATABASE_URL)(
		'refuses to touch the embedded database while something has it open',
		{ timeout: 300_000 },
		async () => {
			await withDatabase(async () => {
				const out = path.join(backupDir, 'while-open.tar.gz');
				for (const [script, args] of [
					['backup.mjs', ['--out', out]],
					['restore.mjs', [path.join(backupDir, 'before-change.backup')]],
					['migrate.mjs', []]
				] as const) {
					const run = await runScript(script, [...args], scratch.env);
					expect(run.code).toBe(1);
					expect(run.stderr).toMatch(
						/^The embedded database at .* is in use \(postmaster\.pid is present\): stop Switchboard first\./
					);
				}
				expect(existsSync(out)).toBe(false);
			});
		}
	);

	it.runIf(!process.env.DATABASE_URL)(
		'passes over a lock left by a killed app, and still refuses one whose app is running',
		{ timeout: 300_000 },
		async () => {
			const pgliteDir = path.join(scratch.env.DATA_DIR, 'pglite');
			// A process that opens the database as the app does, and is killed while it has it open.
			const opener = [
				"import { PGlite } from '@electric-sql/pglite';",
				"import { holdPglite } from './src/lib/server/db/pglite-holder.js';",
				`await PGlite.create(${JSON.stringify(pgliteDir)});`,
				`holdPglite(${JSON.stringify(pgliteDir)});`,
				"process.kill(process.pid, 'SIGKILL');"
			].join('\n');
			const killed = spawn(process.execPath, ['--input-type=module', '-e', opener], {
				cwd: path.resolve(import.meta.dirname, '../../..'),
				stdio: 'ignore'
			});
			await once(killed, 'exit');
			expect(existsSync(path.join(pgliteDir, 'postmaster.pid'))).toBe(true);
			const out = path.join(backupDir, 'after-crash.tar.gz');
			const backup = await runScript('backup.mjs', ['--out', out], scratch.env);
			expect(backup).toMatchObject({ code: 0, stdout: `${out}\n` });
			expect(backup.stderr).toMatch(/left open by process \d+, which is no longer running: going on\./);

			// The same record naming a running process (this one): refused.
			await withDatabase(async () => {
				const release = holdPglite(pgliteDir);
				try {
					const refused = await runScript('backup.mjs', ['--out', `${out}.2`], scratch.env);
					expect(refused.code).toBe(1);
					expect(refused.stderr).toMatch(/is in use \(postmaster\.pid is present\)/);
				} finally {
					release();
				}
			});
		}
	);
});
