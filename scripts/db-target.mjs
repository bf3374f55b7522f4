// @ts-check
// Shared by the db:migrate, db:backup and db:restore scripts: which database the environment
// names, whether PGlite's directory is free, and how a failure is reported. Plain Node ESM so the
// scripts run in the production image, which has no tsx and no TypeScript sources.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { pgliteState } from '../src/lib/server/db/pglite-holder.js';

/**
 * @typedef {{ driver: 'postgres'; url: string; dataDir: string }
 *   | { driver: 'pglite'; pgliteDir: string; dataDir: string }} DbTarget
 */

/** Reads .env like the app (variables already set win) and picks the database the app would open. */
export function resolveTarget() {
	if (existsSync('.env')) process.loadEnvFile('.env');
	const url = process.env.DATABASE_URL || undefined;
	const dataDir = path.resolve(process.env.DATA_DIR || './data');
	if (url) {
		if (!/^postgres(ql)?:\/\//.test(url)) {
			throw new CliError(
				'Invalid environment variable DATABASE_URL: must start with postgres:// or postgresql://'
			);
		}
		return /** @type {DbTarget} */ ({ driver: 'postgres', url, dataDir });
	}
	// The app keeps PGlite in DATA_DIR/pglite (src/lib/server/db/client.ts).
	return /** @type {DbTarget} */ ({ driver: 'pglite', pgliteDir: path.join(dataDir, 'pglite'), dataDir });
}

/** An expected failure: printed as its message alone, no stack. */
export class CliError extends Error {
	/** @param {string} message @param {{ cause?: unknown }} [options] */
	constructor(message, options) {
		super(message, options);
		this.name = 'CliError';
	}
}

/**
 * PGlite allows one process per directory, and a second one corrupts it. While open it holds
 * postmaster.pid; the app also records its pid beside the directory (pglite-holder.js), so a lock
 * left by a killed app is told apart from a live one and passed over.
 * @param {string} pgliteDir
 */
export function assertPgliteFree(pgliteDir) {
	const found = pgliteState(pgliteDir);
	if (found.state === 'stale') {
		console.error(
			`The embedded database at ${pgliteDir} was left open by process ${found.pid}, which is no longer running: going on.`
		);
	}
	if (found.state === 'held') {
		throw new CliError(
			`The embedded database at ${pgliteDir} is in use (postmaster.pid is present): stop Switchboard first. ` +
				'If it is not running, it did not shut down cleanly: start and stop it once, then retry.'
		);
	}
}

/** @param {string} pgliteDir */
export async function openPglite(pgliteDir) {
	assertPgliteFree(pgliteDir);
	mkdirSync(pgliteDir, { recursive: true });
	const { PGlite } = await import('@electric-sql/pglite');
	return PGlite.create(pgliteDir);
}

/** @param {string} url */
export async function openPostgres(url) {
	const { default: postgres } = await import('postgres');
	return postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 10 });
}

/** @param {unknown} error */
function describe(error) {
	const parts = [];
	for (let current = error, depth = 0; current && depth < 5; depth++) {
		parts.push(current instanceof Error ? current.message : String(current));
		current = current instanceof Error ? current.cause : undefined;
	}
	return parts.join(': ');
}

/**
 * Runs a script's main and turns any failure into one line on stderr and exit code 1.
 * @param {() => Promise<void>} main
 */
export async function runCli(main) {
	try {
		await main();
	} catch (error) {
		const expected =
			error instanceof CliError || (error instanceof Error && error.name === 'MigrationPlanError');
		console.error(expected ? /** @type {Error} */ (error).message : describe(error));
		process.exit(1);
	}
}
