import { eq, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import { integer, pgTable, text } from 'drizzle-orm/pg-core';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preferPrepared } from '$lib/server/db/postgres-prepared';
import { createScratchPostgres } from '../../helpers/test-database';

const notes = pgTable('notes', { id: integer().primaryKey(), body: text().notNull() });

/** One connection, so the statements a query prepared are visible to the next one on it. */
function open(url: string) {
	const client = preferPrepared(postgres(url, { max: 1, onnotice: () => {} }));
	return { client, db: drizzle({ client }) };
}

const preparedOn = async (client: postgres.Sql) =>
	(await client`select statement from pg_prepared_statements`).map((r) => String(r.statement));

describe.runIf(process.env.DATABASE_URL)('Drizzle statements on postgres.js', () => {
	let url = '';
	beforeAll(async () => {
		url = await createScratchPostgres('prepared');
		const admin = postgres(url, { max: 1, onnotice: () => {} });
		await admin`create table notes (id integer primary key, body text not null)`;
		await admin.end();
	});
	afterAll(async () => {
		const base = new URL(process.env.DATABASE_URL!);
		const admin = postgres(base.href, { max: 1, onnotice: () => {} });
		await admin.unsafe(`drop database if exists "${new URL(url).pathname.slice(1)}" with (force)`);
		await admin.end();
	});

	it('are named and kept per connection, in and out of transactions', async () => {
		const { client, db } = open(url);
		try {
			await db.insert(notes).values({ id: 1, body: 'one' });
			await db.transaction(async (tx) => {
				await tx.update(notes).set({ body: 'uno' }).where(eq(notes.id, 1));
				await tx.transaction(async (nested) => {
					await nested.insert(notes).values({ id: 2, body: 'two' });
				});
			});
			for (let i = 0; i < 3; i++) await db.select().from(notes).where(eq(notes.id, 1));
			expect(await db.select().from(notes).orderBy(notes.id)).toEqual([
				{ id: 1, body: 'uno' },
				{ id: 2, body: 'two' }
			]);
			const prepared = await preparedOn(client);
			expect(prepared.some((s) => s.startsWith('insert into "notes"'))).toBe(true);
			expect(prepared.some((s) => s.startsWith('update "notes"'))).toBe(true);
			// The select ran four times: one statement, prepared once.
			expect(
				prepared.filter((s) => s.includes('where "notes"."id" = $1') && s.startsWith('select'))
			).toHaveLength(1);
			await db.delete(notes);
		} finally {
			await client.end();
		}
	});

	it('stay unnamed when the URL says prepare=false (PgBouncer in transaction mode)', async () => {
		const { client, db } = open(`${url}?prepare=false`);
		try {
			await db.insert(notes).values({ id: 3, body: 'three' });
			expect(await db.select().from(notes).where(eq(notes.id, 3))).toEqual([{ id: 3, body: 'three' }]);
			await db.execute(sql`delete from notes`);
			expect(await preparedOn(client)).toEqual([]);
		} finally {
			await client.end();
		}
	});
});
