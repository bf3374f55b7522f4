import type { Sql, TransactionSql } from 'postgres';

type Unsafe = (query: string, params?: unknown[], options?: { prepare?: boolean }) => unknown;
type Scoped = { unsafe: Unsafe; savepoint?: (...args: never[]) => unknown };

/**
 * Drizzle asks postgres.js for an unnamed statement unless a query was `.prepare(name)`d, and
 * postgres.js sends an unnamed statement with parameters in two round trips (Parse + Describe, then
 * Bind + Execute) and never pipelines it. A named statement, cached per connection by its text, costs
 * those two trips only the first time: afterwards one Bind + Execute. Every parameterised statement is
 * therefore sent as a named one, inside transactions and savepoints too, unless the URL says
 * `?prepare=false` (as PgBouncer in transaction mode needs), which postgres.js reads into its options.
 */
export function preferPrepared<T extends Sql>(client: T): T {
	if (!client.options.prepare) return client;
	prepareIn(client as unknown as Scoped);
	const begin = client.begin.bind(client) as (...args: unknown[]) => Promise<unknown>;
	Object.assign(client, {
		begin: (...args: unknown[]) => {
			const fn = args.pop() as (sql: TransactionSql) => unknown;
			return begin(...args, (sql: TransactionSql) => fn(withPreparedScopes(sql)));
		}
	});
	return client;
}

function prepareIn(sql: Scoped): void {
	const unsafe = sql.unsafe.bind(sql);
	sql.unsafe = (query, params, options) =>
		unsafe(query, params, params?.length ? { ...options, prepare: true } : options);
}

/** A transaction's scoped client and, through `savepoint`, every nested one. */
function withPreparedScopes(sql: TransactionSql): TransactionSql {
	prepareIn(sql as unknown as Scoped);
	const savepoint = sql.savepoint.bind(sql) as (...args: unknown[]) => Promise<unknown>;
	Object.assign(sql, {
		savepoint: (...args: unknown[]) => {
			const fn = args.pop() as (nested: TransactionSql) => unknown;
			return savepoint(...args, (nested: TransactionSql) => fn(withPreparedScopes(nested)));
		}
	});
	return sql;
}
