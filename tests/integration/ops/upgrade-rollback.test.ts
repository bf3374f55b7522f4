import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as drizzleMigratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as drizzleMigratePostgres } from 'drizzle-orm/postgres-js/migrator';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle, Db } from '$lib/server/db/client';
import { migrationsFolder, prepareDatabase } from '$lib/server/db/migrate';
import { readMigrations } from '$lib/server/db/migrations/journal.js';
import { formatVersion } from '$lib/server/db/migrations/plan.js';
import { migrateTo, migrationStatus, type SqlClient } from '$lib/server/db/migrations/runner.js';
import { pgliteSqlClient, postgresSqlClient } from '$lib/server/db/migrations/sql-clients.js';
import * as schema from '$lib/server/db/schema';
import { createScratchPostgres } from '../../helpers/test-database';
import { insertRealisticData, restrictTo, snapshot } from './realistic-data';

const known = readMigrations(migrationsFolder);
const latest = known.length - 1;

describe('every migration', () => {
	const journal = JSON.parse(readFileSync(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as {
		entries: { tag: string }[];
	};

	it.each(journal.entries.map((e) => e.tag))('%s has a down script with statements', (tag) => {
		const down = path.join(migrationsFolder, `${tag}.down.sql`);
		expect(existsSync(down), `add drizzle/${tag}.down.sql`).toBe(true);
		expect(readFileSync(down, 'utf8')).toMatch(/\b(drop|alter|delete|update|create)\b/i);
	});
});

/**
 * One database for the file, on the suite's driver, reachable two ways: the runner's SqlClient,
 * and a DatabaseHandle as the app holds it (prepareDatabase; drizzle's own migrator, which older
 * versions of Switchboard ran).
 */
async function openDatabase() {
	if (process.env.DATABASE_URL) {
		const sql = postgres(await createScratchPostgres(`ops_upgrade_w${process.env.VITEST_POOL_ID ?? '0'}`), {
			max: 1,
			onnotice: () => {}
		});
		const db = drizzlePostgres({ client: sql, schema, casing: 'snake_case' });
		return handle(postgresSqlClient(sql), {
			db: db as unknown as Db,
			driver: 'postgres',
			migrate: (folder) => drizzleMigratePostgres(db, { migrationsFolder: folder }),
			ping: async () => {
				await sql`select 1`;
			},
			close: () => sql.end({ timeout: 5 })
		});
	}
	const pg = await PGlite.create('memory://');
	const db = drizzlePglite({ client: pg, schema, casing: 'snake_case' });
	return handle(pgliteSqlClient(pg), {
		db: db as unknown as Db,
		driver: 'pglite',
		migrate: (folder) => drizzleMigratePglite(db, { migrationsFolder: folder }),
		ping: async () => {
			await pg.query('select 1');
		},
		close: () => pg.close()
	});
}

const handle = (client: SqlClient, app: DatabaseHandle) => ({ client, app });

describe('upgrade and rollback', () => {
	let database: Awaited<ReturnType<typeof openDatabase>>;
	beforeAll(async () => {
		database = await openDatabase();
	});
	afterAll(async () => {
		await database?.app.close();
	});
	beforeEach(async () => {
		// Every down script, from wherever the last test left it, back to an empty database.
		await migrateTo(database.client, known, { target: -1 });
		await database.client.query('drop schema if exists drizzle cascade');
		expect(await snapshot(database.client)).toEqual({});
	});

	it(`keeps every row from the previous schema (${formatVersion(latest - 1)}) up to the latest and back`, async () => {
		const { client } = database;
		await migrateTo(client, known, { target: latest - 1 });
		await insertRealisticData(client);
		const before = await snapshot(client);
		expect(Object.values(before).every((rows) => rows.length > 0)).toBe(true);

		const up = await migrateTo(client, known);
		expect(up.steps.map((s) => `${s.direction} ${s.tag}`)).toEqual([`up ${known[latest].tag}`]);
		expect((await migrationStatus(client, known)).current).toBe(latest);
		const upgraded = await snapshot(client);
		expect(restrictTo(upgraded, before)).toEqual(before);

		const down = await migrateTo(client, known, { target: latest - 1 });
		expect(down.steps.map((s) => `${s.direction} ${s.tag}`)).toEqual([`down ${known[latest].tag}`]);
		expect(await snapshot(client)).toEqual(before);
	});

	it('goes up from empty and down to empty one migration at a time, recording each step', async () => {
		const { client } = database;
		for (let target = 0; target <= latest; target++) {
			await migrateTo(client, known, { target });
			expect(await migrationStatus(client, known)).toEqual({ current: target, tag: known[target].tag });
		}
		for (let target = latest - 1; target >= -1; target--) {
			await migrateTo(client, known, { target });
			expect((await migrationStatus(client, known)).current).toBe(target);
		}
		expect(await client.query('select * from drizzle.__drizzle_migrations')).toEqual([]);
	});

	it("carries on from an install migrated by drizzle's own migrator", async () => {
		await database.app.migrate(migrationsFolder);
		const rows = await database.client.query('select hash, created_at from drizzle.__drizzle_migrations');
		expect((await migrationStatus(database.client, known)).current).toBe(latest);
		expect((await migrateTo(database.client, known)).steps).toEqual([]);
		// Same hashes as drizzle's, so either migrator can follow the other.
		expect(rows.map((r) => r.hash).sort()).toEqual(known.map((m) => m.hash).sort());
		await migrateTo(database.client, known, { target: latest - 1 });
		expect((await migrationStatus(database.client, known)).current).toBe(latest - 1);
	});

	it('stops the app on a schema newer than it knows, with one line saying how to go back', async () => {
		const { client } = database;
		await migrateTo(client, known);
		const future = `${formatVersion(latest + 1)}_from_the_future`;
		await client.query(
			`insert into drizzle.__drizzle_migrations (hash, created_at) values ('f', 4102444800000)`
		);
		await client.query(
			`insert into drizzle.__switchboard_down_scripts (created_at, tag, down_sql) values (4102444800000, $1, 'select 1')`,
			[future]
		);
		await expect(prepareDatabase(database.app)).rejects.toThrow(
			`The database schema is at migration ${formatVersion(latest + 1)} (${future}), newer than this version ` +
				`of Switchboard knows (${formatVersion(latest)}). Run the newer version, or migrate down with: ` +
				`npm run db:migrate -- --to=${latest}`
		);
		// The stored down script lets this older version take the database back.
		await migrateTo(client, known, { target: latest });
		expect((await migrationStatus(client, known)).current).toBe(latest);
	});
});
