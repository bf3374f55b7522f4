// @ts-check
// `npm run db:backup [-- --out FILE]`: writes a backup of the configured database and prints its
// path. Postgres: pg_dump's custom format (.dump); PGlite: its data directory as .tar.gz.
// See docs/operations/upgrade-and-rollback.md.
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CliError, openPglite, openPostgres, resolveTarget, runCli } from './db-target.mjs';
import { assertClientNotOlder, connectionFor, run } from './pg-tools.mjs';

/** @param {import('./db-target.mjs').DbTarget} target */
function defaultFile(target) {
	const stamp = new Date()
		.toISOString()
		.replace(/[-:]/g, '')
		.replace(/\.\d+Z$/, 'Z');
	const name = `switchboard-${stamp}-${target.driver}${target.driver === 'postgres' ? '.dump' : '.tar.gz'}`;
	return path.join(target.dataDir, 'backups', name);
}

/** @param {string} url @param {string} file */
async function dumpPostgres(url, file) {
	const sql = await openPostgres(url);
	try {
		await assertClientNotOlder(sql, 'pg_dump');
	} finally {
		await sql.end({ timeout: 5 });
	}
	const { uri, env } = connectionFor(url);
	run('pg_dump', ['--format=custom', '--no-owner', '--file', file, '--dbname', uri], env);
}

/** @param {string} pgliteDir @param {string} file */
async function dumpPglite(pgliteDir, file) {
	if (!existsSync(path.join(pgliteDir, 'PG_VERSION'))) {
		throw new CliError(`There is no embedded database at ${pgliteDir} to back up (check DATA_DIR)`);
	}
	const pg = await openPglite(pgliteDir);
	try {
		const archive = await pg.dumpDataDir('gzip');
		writeFileSync(file, Buffer.from(await archive.arrayBuffer()));
	} finally {
		await pg.close();
	}
}

await runCli(async () => {
	const { values } = parseArgs({
		args: process.argv.slice(2),
		options: { out: { type: 'string' } },
		strict: true
	});
	const target = resolveTarget();
	const file = path.resolve(values.out ?? defaultFile(target));
	mkdirSync(path.dirname(file), { recursive: true });
	// Written beside the target and renamed at the end: a failed backup never looks like a good one.
	const partial = `${file}.partial`;
	try {
		// Created private before anything is written into it: backups hold password hashes and
		// encrypted provider keys.
		writeFileSync(partial, '', { mode: 0o600 });
		if (target.driver === 'postgres') await dumpPostgres(target.url, partial);
		else await dumpPglite(target.pgliteDir, partial);
		renameSync(partial, file);
	} finally {
		rmSync(partial, { force: true });
	}
	console.log(file);
});
