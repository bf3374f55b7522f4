// The thread that owns PGlite. Postgres-in-WebAssembly runs every statement synchronously, so on the
// main thread it stalled the relay; here it only costs the main thread a message each way.
// Plain JavaScript (types from JSDoc) so Node runs this file as it is in dev and tests, while the
// build turns it into its own chunk; client.ts starts it from `workerUrl`.
import { isMainThread, parentPort, workerData } from 'node:worker_threads';

/** @typedef {import('./pglite-protocol').Envelope} Envelope */
/** @typedef {import('./pglite-protocol').Reply} Reply */
/** @typedef {import('./pglite-protocol').QueryRequest} QueryRequest */
/** @typedef {import('./pglite-protocol').SerializedError} SerializedError */
/** @typedef {import('./pglite-protocol').WorkerOptions} WorkerOptions */
/** @typedef {import('@electric-sql/pglite').PGlite} PGlite */
/** @typedef {import('@electric-sql/pglite').Transaction} Transaction */

export const workerUrl = import.meta.url;

/** @param {unknown} value */
const identity = (value) => value;

/**
 * @param {unknown} error
 * @returns {SerializedError}
 */
function serializeError(error) {
	if (!(error instanceof Error)) return { name: 'Error', message: String(error), fields: {} };
	/** @type {Record<string, string | number>} */
	const fields = {};
	// DatabaseError's own fields (code, constraint, detail, table…); its query options hold functions.
	for (const [key, value] of Object.entries(error)) {
		if (typeof value === 'string' || typeof value === 'number') fields[key] = value;
	}
	return { name: error.name, message: error.message, fields };
}

/**
 * An open transaction: PGlite holds its lock until `finish` settles, so statements from outside
 * the transaction wait in PGlite's queue exactly as they did in-process.
 * @param {PGlite} db
 */
function openTransaction(db) {
	/** @type {(commit: boolean) => void} */
	let finish = () => {};
	/** @type {Promise<boolean>} */
	const decided = new Promise((resolve) => (finish = resolve));
	/** @type {(tx: Transaction) => void} */
	let started = () => {};
	/** @type {(error: unknown) => void} */
	let failed = () => {};
	/** @type {Promise<Transaction>} */
	const ready = new Promise((resolve, reject) => {
		started = resolve;
		failed = reject;
	});
	const done = db.transaction(async (tx) => {
		started(tx);
		if (!(await decided)) await tx.rollback();
	});
	// A failed BEGIN rejects `ready` with its error; a failed COMMIT reaches whoever awaits `done`.
	done.catch(failed);
	return { ready, done, finish };
}

/** @param {WorkerOptions} options */
async function serve(options) {
	const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort);
	const { PGlite } = await import('@electric-sql/pglite');
	/** @type {PGlite} */
	let db;
	try {
		db = await PGlite.create(options.dataDir);
	} catch (error) {
		port.postMessage(/** @type {Reply} */ ({ id: 0, ok: false, error: serializeError(error) }));
		return;
	}
	/** @type {Map<number, ReturnType<typeof openTransaction>>} */
	const transactions = new Map();

	/** @param {QueryRequest} request */
	async function query(request) {
		const parsers = Object.fromEntries(request.rawTypes.map((type) => [type, identity]));
		const target = request.tx === undefined ? db : await transactionOf(request.tx).ready;
		const result = await target.query(request.sql, request.params, { rowMode: request.rowMode, parsers });
		return { rows: result.rows, fields: result.fields, affectedRows: result.affectedRows };
	}

	/** @param {number} tx */
	function transactionOf(tx) {
		const open = transactions.get(tx);
		if (!open) throw new Error(`no open transaction ${tx}`);
		return open;
	}

	/** @param {Envelope['request']} request */
	async function handle(request) {
		switch (request.op) {
			case 'query':
				return query(request);
			case 'begin': {
				const open = openTransaction(db);
				transactions.set(request.tx, open);
				await open.ready.catch((error) => {
					transactions.delete(request.tx);
					throw error;
				});
				return undefined;
			}
			case 'end': {
				const open = transactionOf(request.tx);
				transactions.delete(request.tx);
				open.finish(request.commit);
				await open.done;
				return undefined;
			}
			case 'close':
				await db.close();
				return undefined;
		}
	}

	port.on('message', (/** @type {Envelope} */ { id, request }) => {
		handle(request)
			.then(
				(value) => port.postMessage(/** @type {Reply} */ ({ id, ok: true, value })),
				(error) => port.postMessage(/** @type {Reply} */ ({ id, ok: false, error: serializeError(error) }))
			)
			// Closing the port after the reply lets the thread end on its own.
			.finally(() => request.op === 'close' && port.close());
	});
	port.postMessage(/** @type {Reply} */ ({ id: 0, ok: true }));
}

if (!isMainThread && workerData?.switchboardPglite) await serve(workerData.switchboardPglite);
