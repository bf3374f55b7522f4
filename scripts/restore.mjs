// @ts-check
// `npm run db:restore -- FILE`: replaces the configured database with a backup from db:backup.
// Stop Switchboard first. See docs/operations/upgrade-and-rollback.md.
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CliError, assertPgliteFree, openPostgres, resolveTarget, runCli } from './db-target.mjs';
import { assertClientNotOlder, clientMajor, connectionFor, pipe, run } from './pg-tools.mjs';

// Objects a newer migration created are not in an older dump, so --clean alone would leave them
// behind; both schemas are dropped first, inside the same transaction as the restore.
const resetSchemas =
	'DROP SCHEMA IF EXISTS drizzle CASCADE; DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;';

/** @param {string} url @param {string} file */
async function restorePostgres(url, file) {
	clientMajor('psql');
	const sql = await openPostgres(url);
	try {
		await assertClientNotOlder(sql, 'pg_restore');
	} finally {
		await sql.end({ timeout: 5 });
	}
	const { uri, env } = connectionFor(url);
	// Reads the archive's table of contents first, so a wrong file fails before anything is dropped.
	run('pg_restore', ['--list', file], env);
	await pipe(
		{
			program: 'pg_restore',
			args: ['--clean', '--if-exists', '--no-owner', '--no-privileges', '--file', '-', file]
		},
		{
			program: 'psql',
			args: [
				'-X',
				'-q',
				'-v',
				'ON_ERROR_STOP=1',
				'--single-transaction',
				'-c',
				'SET client_min_messages = warning',
				'-c',
				resetSchemas,
				'-f',
				'-',
				uri
			]
		},
		env
	);
}

/** @param {string} pgliteDir @param {string} file */
async function restorePglite(pgliteDir, file) {
	assertPgliteFree(pgliteDir);
	const stamp = Date.now();
	const staging = `${pgliteDir}.restoring-${stamp}`;
	const { PGlite } = await import('@electric-sql/pglite');
	try {
		// Loaded into a fresh directory and checked before the current one is touched.
		const pg = await PGlite.create(staging, { loadDataDir: new Blob([readFileSync(file)]) });
		try {
			await pg.query('select 1 from drizzle.__drizzle_migrations limit 1');
		} finally {
			await pg.close();
		}
	} catch (error) {
		rmSync(staging, { recursive: true, force: true });
		throw new CliError(`${file} is not a Switchboard PGlite backup`, { cause: error });
	}
	if (existsSync(pgliteDir)) {
		const previous = `${pgliteDir}.before-restore-${stamp}`;
		renameSync(pgliteDir, previous);
		console.error(`The database it replaced is kept at ${previous}; delete it once the restore is verified.`);
	}
	renameSync(staging, pgliteDir);
}

await runCli(async () => {
	const { values, positionals } = parseArgs({
		args: process.argv.slice(2),
		options: { file: { type: 'string' } },
		allowPositionals: true,
		strict: true
	});
	const given = values.file ?? positionals[0];
	if (!given || positionals.length > 1) throw new CliError('Usage: npm run db:restore -- FILE');
	const file = path.resolve(given);
	if (!existsSync(file)) throw new CliError(`No backup file at ${file}`);
	const target = resolveTarget();
	if (target.driver === 'postgres') await restorePostgres(target.url, file);
	else await restorePglite(target.pgliteDir, file);
	console.error(
		`Restored ${file}. Start Switchboard, or run npm run db:migrate first if the backup is from an older version.`
	);
});
