// The runner's SqlClient over each driver, for callers that hold the driver itself (the CLI
// scripts and the ops tests). The app adapts its Drizzle handle in ../migrate.ts instead.

/** @typedef {import('./runner.js').SqlClient} SqlClient */
/** @typedef {import('./runner.js').SqlExecutor} SqlExecutor */
/** @typedef {{ query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }> }} PgliteLike */
/** @typedef {(text: string, params?: never[]) => Promise<unknown[]>} Unsafe */

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
 * @param {{ unsafe: Function; begin: Function }} sql a postgres.js client
 * @returns {SqlClient}
 */
export function postgresSqlClient(sql) {
	/** @param {{ unsafe: Function }} target @returns {SqlExecutor} */
	const executor = (target) => ({
		query: async (text, params) => [...(await target.unsafe(text, params ?? []))]
	});
	return {
		...executor(sql),
		transaction: (work) => sql.begin((/** @type {{ unsafe: Function }} */ tx) => work(executor(tx)))
	};
}
