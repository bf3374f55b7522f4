import { sql } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { maintainPglite } from '$lib/server/db/pglite-maintenance';
import { selectRows } from '$lib/server/db/select-rows';
import { useTestDatabase } from '../../helpers/test-database';

type Counters = { dead: number; vacuumed: boolean; analyzed: boolean };

describe.skipIf(process.env.DATABASE_URL)('PGlite upkeep (no autovacuum in single-user mode)', () => {
	const testDb = useTestDatabase();

	it('vacuums and analyzes a table that churned, as autovacuum would, and leaves a quiet one be', async () => {
		const { db } = testDb.handle;
		const counters = async (table: string) =>
			(
				await selectRows<Counters>(
					db,
					sql`select n_dead_tup::int as dead, last_vacuum is not null as vacuumed, last_analyze is not null as analyzed
						from pg_stat_user_tables where relname = ${table}`
				)
			)[0];
		await db.execute(sql.raw('create table churned (id integer primary key, body text)'));
		await db.execute(sql.raw('create table quiet (id integer primary key)'));
		try {
			await db.execute(sql.raw(`insert into churned select g, 'draft' from generate_series(1, 2000) g`));
			await db.execute(sql.raw('vacuum analyze quiet'));
			// An answer saved as it streams: each save leaves the row's old version dead.
			for (const round of [1, 2, 3]) await db.execute(sql`update churned set body = ${`save ${round}`}`);
			// Postgres hands its counters over at most once a second, at the end of a statement.
			await vi.waitFor(async () => expect((await counters('churned')).dead).toBeGreaterThan(1_000), {
				timeout: 5_000,
				interval: 200
			});

			const steps = await maintainPglite(db);
			expect(steps).toContainEqual({ table: 'churned', vacuum: true, analyze: true, ms: expect.any(Number) });
			expect(steps.map((step) => step.table)).not.toContain('quiet');
			expect(await counters('churned')).toEqual({ dead: 0, vacuumed: true, analyzed: true });
			// Nothing more to do until the table changes again.
			expect((await maintainPglite(db)).map((step) => step.table)).not.toContain('churned');
		} finally {
			await db.execute(sql.raw('drop table churned, quiet'));
		}
	});
});
