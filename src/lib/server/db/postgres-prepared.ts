import type { Sql, TransactionSql } from 'postgres';

type Unsafe = (query: string, params?: unknown[], options?: { prepare?: boolean }) => unknown;
type Scoped = { unsafe: Unsafe };

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
	preparedScopesOf(client, 'begin');
	return client;
}

function prepareIn(sql: Scoped): void {
	const unsafe = sql.unsafe.bind(sql);
	sql.unsafe = (query, params, options) =>
		unsafe(query, params, params?.length ? { ...options, prepare: true } : options);
}

/** `sql[method]` (begin, savepoint) handing its callback a scope that prepares too, as do its own savepoints. */
function preparedScopesOf(sql: object, method: 'begin' | 'savepoint'): void {
	const original = (sql as Record<typeof method, (...args: unknown[]) => unknown>)[method].bind(sql);
	Object.assign(sql, {
		[method]: (...args: unknown[]) => {
			const fn = args.pop() as (scoped: TransactionSql) => unknown;
			return original(...args, (scoped: TransactionSql) => {
				prepareIn(scoped as unknown as Scoped);
				preparedScopesOf(scoped, 'savepoint');
				return fn(scoped);
			});
		}
	});
}
