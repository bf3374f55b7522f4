import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import type { SqlClient } from '$lib/server/db/migrations/runner.js';
import { pgliteSqlClient, postgresSqlClient } from '$lib/server/db/migrations/sql-clients.js';
import { createScratchPostgres } from '../../helpers/test-database';

/**
 * A database of its own for an ops test, on the driver the suite runs on: a scratch Postgres
 * database with DATABASE_URL, else a PGlite data directory in a temp dir. `env` points the CLI
 * scripts at it; `open` connects in this process (close it before a script opens PGlite).
 */
export type Scratch = {
	driver: 'pglite' | 'postgres';
	env: Record<string, string>;
	open(): Promise<ScratchConnection>;
	dispose(): Promise<void>;
};
export type ScratchConnection = SqlClient & { close(): Promise<void> };

export async function createScratch(name: string): Promise<Scratch> {
	if (process.env.DATABASE_URL) {
		const url = await createScratchPostgres(`ops_${name}_w${process.env.VITEST_POOL_ID ?? '0'}`);
		return {
			driver: 'postgres',
			env: { DATABASE_URL: url },
			async open() {
				const sql = postgres(url, { max: 1, onnotice: () => {} });
				return { ...postgresSqlClient(sql), close: () => sql.end({ timeout: 5 }) };
			},
			dispose: async () => {}
		};
	}
	const dataDir = await mkdtemp(path.join(tmpdir(), `switchboard-ops-${name}-`));
	return {
		driver: 'pglite',
		env: { DATA_DIR: dataDir, DATABASE_URL: '' },
		async open() {
			const pg = await PGlite.create(path.join(dataDir, 'pglite'));
			return { ...pgliteSqlClient(pg), close: () => pg.close() };
		},
		dispose: () => rm(dataDir, { recursive: true, force: true })
	};
}

export type ScriptRun = { code: number | null; stdout: string; stderr: string };

/** Runs one of the npm db:* scripts the way an operator does, in the repository root. */
export function runScript(script: string, args: string[], env: Record<string, string>): Promise<ScriptRun> {
	const root = path.resolve(import.meta.dirname, '../../..');
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [path.join(root, 'scripts', script), ...args], {
			cwd: root,
			env: { ...process.env, ...env },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		const run: ScriptRun = { code: null, stdout: '', stderr: '' };
		child.stdout.on('data', (chunk) => (run.stdout += chunk));
		child.stderr.on('data', (chunk) => (run.stderr += chunk));
		child.on('error', reject);
		child.on('close', (code) => resolve({ ...run, code }));
	});
}
