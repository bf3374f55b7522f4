import { sql } from 'drizzle-orm';
import type { Db } from './client';
import { selectRows } from './select-rows';

/*
 * PGlite runs Postgres in single-user mode, where autovacuum never runs: without this, the rows a
 * partial save or a chat's new `updated_at` leaves dead stay in the files and in every index for
 * good, and the planner never gets statistics. So the app does what autovacuum would, with its
 * default thresholds, from the counters Postgres keeps (pg_stat_user_tables). Postgres itself runs
 * autovacuum; none of this applies there.
 */

/** A table's counters, as pg_stat_user_tables and pg_class give them. */
export type TableActivity = {
	table: string;
	liveRows: number;
	deadRows: number;
	insertedSinceVacuum: number;
	modifiedSinceAnalyze: number;
	/** pg_class.reltuples: -1 until the table's first VACUUM or ANALYZE ever (kept across restarts). */
	estimatedRows: number;
};

export type MaintenanceStep = { table: string; vacuum: boolean; analyze: boolean };

/**
 * What autovacuum would do to each table now, by its default settings: VACUUM past 50 dead rows and a
 * fifth of the live ones (autovacuum_vacuum_threshold, _scale_factor), or past 1,000 inserted rows and
 * a fifth (the insert thresholds, so an append-only table's pages become all-visible); ANALYZE past 50
 * changed rows and a tenth, or when the table has never had statistics.
 */
export function maintenanceDue(tables: TableActivity[]): MaintenanceStep[] {
	return tables
		.map((t) => ({
			table: t.table,
			vacuum: t.deadRows > 50 + 0.2 * t.liveRows || t.insertedSinceVacuum > 1_000 + 0.2 * t.liveRows,
			analyze: t.modifiedSinceAnalyze > 50 + 0.1 * t.liveRows || (t.estimatedRows < 0 && t.liveRows > 0)
		}))
		.filter((step) => step.vacuum || step.analyze);
}

async function tableActivity(db: Db): Promise<TableActivity[]> {
	return selectRows<TableActivity>(
		db,
		sql`select s.relname as "table", s.n_live_tup::int as "liveRows", s.n_dead_tup::int as "deadRows",
			s.n_ins_since_vacuum::int as "insertedSinceVacuum", s.n_mod_since_analyze::int as "modifiedSinceAnalyze",
			c.reltuples::float8 as "estimatedRows"
			from pg_stat_user_tables s join pg_class c on c.oid = s.relid
			where s.schemaname = 'public' order by s.relname`
	);
}

/**
 * One pass: each table that is due, one statement at a time (PGlite runs one statement at a time, so
 * each holds the others back for as long as it runs). Returns what it did, with each step's time.
 */
export async function maintainPglite(db: Db): Promise<(MaintenanceStep & { ms: number })[]> {
	const done: (MaintenanceStep & { ms: number })[] = [];
	for (const step of maintenanceDue(await tableActivity(db))) {
		const started = performance.now();
		const what = step.vacuum ? (step.analyze ? 'vacuum (analyze)' : 'vacuum') : 'analyze';
		// The name comes from pg_stat_user_tables; quoted as an identifier all the same.
		await db.execute(sql.raw(`${what} "${step.table.replaceAll('"', '""')}"`));
		done.push({ ...step, ms: Math.round(performance.now() - started) });
	}
	return done;
}

/**
 * Runs `pass` after `firstMs`, then `intervalMs` after each pass ends. A pass that is due waits for
 * a moment when `idle()` (no answer streaming, whose statements it would hold back), checking every
 * `idleCheckMs`, but never longer than `intervalMs`. Returns what stops it, after the pass under way
 * if any, so the database is not closed beneath it.
 */
export function scheduleMaintenance(
	pass: () => Promise<void>,
	options: { firstMs: number; intervalMs: number; idle?: () => boolean; idleCheckMs?: number }
): () => Promise<void> {
	const { firstMs, intervalMs, idle = () => true, idleCheckMs = 5_000 } = options;
	let timer: ReturnType<typeof setTimeout> | undefined;
	let running: Promise<void> | null = null;
	let stopped = false;
	const after = (ms: number, then: () => void) => {
		if (stopped) return;
		timer = setTimeout(then, ms);
		timer.unref();
	};
	const attempt = (due: number) => {
		if (!idle() && Date.now() - due < intervalMs) return after(idleCheckMs, () => attempt(due));
		// `pass` reports its own failures; the next one tries again.
		running = pass()
			.catch(() => {})
			.finally(() => {
				running = null;
				after(intervalMs, () => attempt(Date.now()));
			});
	};
	after(firstMs, () => attempt(Date.now()));
	return async () => {
		stopped = true;
		clearTimeout(timer);
		await running;
	};
}
