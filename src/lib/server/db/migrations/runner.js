// Applies a plan (plan.js) to a database through any driver that can run SQL: the app passes
// its Drizzle handle, the CLI scripts pass PGlite or postgres.js directly (sql-clients.js).
import { splitStatements } from './journal.js';
import { currentVersion, planMigrations } from './plan.js';

/** @typedef {import('./journal.js').Migration} Migration */
/** @typedef {import('./plan.js').Step} Step */
/** @typedef {import('./plan.js').AppliedRow} AppliedRow */
/**
 * @typedef {{ query(text: string, params?: unknown[]): Promise<Record<string, unknown>[]> }} SqlExecutor
 * @typedef {SqlExecutor & { transaction(work: (tx: SqlExecutor) => Promise<void>): Promise<void> }} SqlClient
 */

// drizzle's own bookkeeping table, so installs migrated by drizzle's migrator carry on seamlessly.
const applied = 'drizzle.__drizzle_migrations';
// Down scripts saved at up time: an older version can roll back a migration it never shipped.
const downs = 'drizzle.__switchboard_down_scripts';
// Serializes migrators across app processes sharing one Postgres (any constant; ours spells "swmg").
const lockKey = 0x73776d67;

/** @param {SqlExecutor} tx */
async function lock(tx) {
	await tx.query(`select pg_advisory_xact_lock(${lockKey})`);
}

/** @param {SqlClient} client */
async function ensureBookkeeping(client) {
	await client.transaction(async (tx) => {
		await lock(tx);
		await tx.query('create schema if not exists drizzle');
		await tx.query(
			`create table if not exists ${applied} (id serial primary key, hash text not null, created_at bigint)`
		);
		await tx.query(
			`create table if not exists ${downs} (created_at bigint primary key, tag text not null, down_sql text not null)`
		);
	});
}

/**
 * @param {SqlExecutor} client
 * @returns {Promise<AppliedRow[]>}
 */
async function readApplied(client) {
	const rows = await client.query(
		`select m.created_at, d.tag, d.down_sql from ${applied} m left join ${downs} d using (created_at)`
	);
	return rows.map((row) => ({
		createdAt: Number(row.created_at),
		storedTag: row.tag == null ? null : String(row.tag),
		storedDown: row.down_sql == null ? null : String(row.down_sql)
	}));
}

/**
 * Migrations applied by drizzle's migrator have no stored down script; the files provide one.
 * @param {SqlClient} client
 * @param {Migration[]} known
 * @param {AppliedRow[]} rows
 */
async function storeKnownDownScripts(client, known, rows) {
	const byWhen = new Map(known.map((m) => [m.when, m]));
	const stale = rows.filter((r) => {
		const migration = byWhen.get(r.createdAt);
		return migration && (r.storedDown !== migration.downSql || r.storedTag !== migration.tag);
	});
	if (stale.length === 0) return;
	await client.transaction(async (tx) => {
		for (const row of stale) await storeDown(tx, /** @type {Migration} */ (byWhen.get(row.createdAt)));
	});
}

/**
 * @param {SqlExecutor} tx
 * @param {Migration} migration
 */
async function storeDown(tx, migration) {
	await tx.query(
		`insert into ${downs} (created_at, tag, down_sql) values ($1, $2, $3)
		 on conflict (created_at) do update set tag = excluded.tag, down_sql = excluded.down_sql`,
		[migration.when, migration.tag, migration.downSql]
	);
}

/**
 * One step in one transaction with its bookkeeping row. Another process may have run the same
 * step since we planned: under the lock, a step already done is skipped.
 * @param {SqlClient} client
 * @param {Step} step
 */
async function runStep(client, step) {
	await client.transaction(async (tx) => {
		await lock(tx);
		const createdAt = step.direction === 'up' ? step.migration.when : step.createdAt;
		const found = await tx.query(`select 1 from ${applied} where created_at = $1`, [createdAt]);
		if (step.direction === 'up') {
			if (found.length > 0) return;
			for (const statement of step.migration.up) await tx.query(statement);
			await tx.query(`insert into ${applied} (hash, created_at) values ($1, $2)`, [
				step.migration.hash,
				createdAt
			]);
			await storeDown(tx, step.migration);
		} else {
			if (found.length === 0) return;
			for (const statement of step.statements) await tx.query(statement);
			await tx.query(`delete from ${applied} where created_at = $1`, [createdAt]);
			await tx.query(`delete from ${downs} where created_at = $1`, [createdAt]);
		}
	});
}

/**
 * Reads the database's position and plans, without changing anything but the bookkeeping tables.
 * @param {SqlClient} client
 * @param {Migration[]} known
 * @param {number} [target] undefined: the latest migration this version knows
 */
export async function planFor(client, known, target) {
	await ensureBookkeeping(client);
	const rows = await readApplied(client);
	await storeKnownDownScripts(client, known, rows);
	return planMigrations({ known, applied: await readApplied(client), target, split: splitStatements });
}

/**
 * The database's migration number (-1 when empty) and tag, even past what this version knows.
 * @param {SqlClient} client
 * @param {Migration[]} known
 */
export async function migrationStatus(client, known) {
	await ensureBookkeeping(client);
	return currentVersion({ known, applied: await readApplied(client), split: splitStatements });
}

/**
 * Goes up or down to `target`. Throws MigrationPlanError (schema-too-new, bad-target,
 * no-down-script) before touching the schema; a failing step rolls back alone, and the steps
 * before it stay applied, so the database is always at a version it can name.
 * @param {SqlClient} client
 * @param {Migration[]} known
 * @param {{ target?: number; onStep?: (step: Step) => void }} [options]
 */
export async function migrateTo(client, known, options = {}) {
	const plan = await planFor(client, known, options.target);
	for (const step of plan.steps) {
		options.onStep?.(step);
		try {
			await runStep(client, step);
		} catch (error) {
			throw new Error(`Migration ${step.tag} (${step.direction}) failed`, { cause: error });
		}
	}
	return plan;
}
