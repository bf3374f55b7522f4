// The runner's SqlClient over each driver, for callers that hold the driver itself (the CLI
// scripts and the ops tests). The app adapts its Drizzle handle in ../migrate.ts instead.

/** @typedef {import('./runner.js').SqlClient} SqlClient */
/** @typedef {import('./runner.js').SqlExecutor} SqlExecutor */
/** @typedef {{ query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }> }} PgliteLike */

/**
 * @param {PgliteLike & { transaction<T>(work: (tx: PgliteLike) => Promise<T>): Promise<T> }} pg
 * @returns {SqlClient}
 */
export function pgliteSqlClient(pg) {
	/** @param {PgliteLike} target @returns {SqlExecutor} */
	const executor = (target) => ({
		query: async (text, params) =>
			/** @type {Record<string, unknown>[]} */ ((await target.query(text, params)).rows)
	});
	return { ...executor(pg), transaction: (work) => pg.transaction((tx) => work(executor(tx))) };
}

/**
 * @param {import('postgres').Sql} sql
 * @returns {SqlClient}
 */
export function postgresSqlClient(sql) {
	/** @param {Pick<import('postgres').Sql, 'unsafe'>} target @returns {SqlExecutor} */
	const executor = (target) => ({
		// The runner's parameters are numbers and strings, which postgres.js serializes as they are.
		query: async (text, params) => [...(await target.unsafe(text, /** @type {never[]} */ (params ?? [])))]
	});
	return {
		...executor(sql),
		transaction: (work) => sql.begin((tx) => work(executor(tx)))
	};
}
