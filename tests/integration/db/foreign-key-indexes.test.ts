import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { selectRows } from '$lib/server/db/select-rows';
import { useTestDatabase } from '../../helpers/test-database';

const testDb = useTestDatabase();

/**
 * Foreign keys whose referencing side may go without an index, and why. Postgres indexes only the
 * referenced side; the referencing side is scanned once per deleted parent row, so a large table
 * without one makes every delete of a parent (a message of a deleted chat, a user) a full scan.
 */
const unindexedOnPurpose: Record<string, string> = {
	// A provider is deleted by an admin, rarely, and `restrict` reads chats once per deletion;
	// an index would cost every chat insert and every turn's chat update.
	'chats(provider_id)': 'one scan per deleted provider',
	// A handful of rows.
	'model_aliases(provider_id)': 'a small table'
};

type Columns = { table: string; columns: string[] };

const columnNames = (relation: string, numbers: string) =>
	sql.raw(`array(
	select a.attname::text from unnest(${numbers}) with ordinality as k(num, ord)
	join pg_attribute a on a.attrelid = ${relation} and a.attnum = k.num
	order by k.ord)`);

describe('foreign keys', () => {
	it('each has an index leading with its columns, so deleting a parent row does not scan the child table', async () => {
		const foreignKeys = await selectRows<Columns>(
			testDb.handle.db,
			sql`
			select c.conrelid::regclass::text as "table", ${columnNames('c.conrelid', 'c.conkey')} as columns
			from pg_constraint c
			where c.contype = 'f' and c.connamespace = 'public'::regnamespace`
		);
		const indexes = await selectRows<Columns>(
			testDb.handle.db,
			sql`
			select i.indrelid::regclass::text as "table", ${columnNames('i.indrelid', 'i.indkey::int2[]')} as columns
			from pg_index i join pg_class t on t.oid = i.indrelid
			where t.relnamespace = 'public'::regnamespace`
		);
		expect(foreignKeys.length).toBeGreaterThan(10);

		const leadsWith = (index: Columns, key: Columns) =>
			index.table === key.table &&
			key.columns.every((column) => index.columns.slice(0, key.columns.length).includes(column));
		const unindexed = foreignKeys
			.filter((key) => !indexes.some((index) => leadsWith(index, key)))
			.map((key) => `${key.table.replaceAll('"', '')}(${key.columns.join(', ')})`)
			.sort();

		expect(unindexed).toEqual(Object.keys(unindexedOnPurpose).sort());
	});
});
