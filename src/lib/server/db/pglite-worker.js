// The thread that owns PGlite. Postgres-in-WebAssembly runs every statement synchronously, so on the
// main thread it stalled the relay; here it only costs the main thread a message each way.
// Plain JavaScript (types from JSDoc) so Node runs this file as it is in dev and tests, while the
// build turns it into its own chunk; client.ts starts it from `workerUrl`. Run as a process of its
// own, it makes a new cluster and exits (createCluster at the end).
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { inspect } from 'node:util';
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

/** A statement prepared in PGlite under a name, with the parameter types its description gave. */
/** @typedef {{ name: string, types: number[] }} PreparedStatement */

/** Beyond this many statements, new SQL texts go through PGlite's own query() (the cache must stay bounded). */
const MAX_PREPARED = 512;

/** Postgres: "cached plan must not change result type" (a table a statement reads changed shape). */
const STALE_PLAN = '0A000';

/** @param {Uint8Array[]} parts */
function concat(parts) {
	const out = new Uint8Array(parts.reduce((size, part) => size + part.length, 0));
	let offset = 0;
	for (const part of parts) {
		out.set(part, offset);
		offset += part.length;
	}
	return out;
}

/**
 * PGlite's query() sends a statement as six protocol messages, each its own call into WebAssembly,
 * and has Postgres parse and plan it every time: about 0.3-0.6 ms of CPU per statement, most of what
 * a turn costs on PGlite. A statement with parameters is prepared once here under a name (Parse and
 * Describe, its parameter types kept), then each run is one call (Bind, Describe, Execute, Sync).
 * Parameters are serialized and rows parsed exactly as query() does, by PGlite's own serializers and
 * parseResults, under the same locks and with the same sync to disk after a statement outside a
 * transaction. It uses PGlite's protected lock methods, which query() itself goes through.
 * @param {PGlite} db
 * @param {typeof import('@electric-sql/pglite')} pglite
 */
function preparedStatements(db, pglite) {
	const { serialize } = pglite.protocol;
	/** @type {Map<string, PreparedStatement>} */
	const statements = new Map();
	let named = 0;
	// Protected in PGlite's types; query() runs through exactly these.
	const locks =
		/** @type {{ _runExclusiveQuery<T>(fn: () => Promise<T>): Promise<T>, _runExclusiveTransaction<T>(fn: () => Promise<T>): Promise<T> }} */ (
			/** @type {unknown} */ (db)
		);

	/** @param {string} sql */
	async function prepare(sql) {
		const name = `sb_${named++}`;
		const messages = await db.execProtocolStream(
			concat([
				serialize.parse({ name, text: sql }),
				serialize.describe({ type: 'S', name }),
				serialize.sync()
			]),
			{ syncToFs: false }
		);
		const description = messages.find((m) => m.name === 'parameterDescription');
		/** @type {PreparedStatement} */
		const statement = {
			name,
			types:
				description && 'dataTypeIDs' in description ? /** @type {number[]} */ (description.dataTypeIDs) : []
		};
		statements.set(sql, statement);
		return statement;
	}

	/**
	 * @param {QueryRequest} request
	 * @param {ParserTable} parsers every type's parser, as parseResults() reads them
	 * @param {boolean} inTransaction
	 */
	async function run(request, parsers, inTransaction) {
		const statement = statements.get(request.sql) ?? (await prepare(request.sql));
		const values = request.params.map((value, i) => {
			if (value === null || value === undefined) return null;
			// Bytes go as they are, in Bind's binary format: no hex text to build here and decode there.
			if (statement.types[i] === BYTEA && value instanceof Uint8Array) return value;
			const serializer = db.serializers[statement.types[i]];
			return serializer ? serializer(value) : String(value);
		});
		const messages = await db.execProtocolStream(
			concat([
				serialize.bind({ statement: statement.name, values }),
				serialize.describe({ type: 'P' }),
				serialize.execute({}),
				serialize.sync()
			]),
			{ syncToFs: false }
		);
		if (!inTransaction) await db.syncToFs();
		// The whole table as parseResults' own: given `parsers` as an option, it spreads both into a new
		// object for every statement (PGlite's ~300 type parsers, keyed by OID, so a slow dictionary copy).
		return pglite.parse.parseResults(messages, parsers, { rowMode: request.rowMode })[0];
	}

	return {
		/**
		 * Runs `request` as a prepared statement, or returns null when it should go through query():
		 * no parameters (DDL, migrations, pings) or a full cache.
		 * @param {QueryRequest} request
		 * @param {ParserTable} parsers
		 * @param {boolean} inTransaction
		 */
		async query(request, parsers, inTransaction) {
			if (request.params.length === 0) return null;
			if (!statements.has(request.sql) && statements.size >= MAX_PREPARED) return null;
			const exclusive = () => locks._runExclusiveQuery(() => run(request, parsers, inTransaction));
			try {
				return await (inTransaction ? exclusive() : locks._runExclusiveTransaction(exclusive));
			} catch (error) {
				if (error instanceof pglite.messages.DatabaseError) {
					if (error.code === STALE_PLAN) {
						// A migration changed what a statement reads: forget them all, and let query() answer.
						// Inside a transaction the error has already aborted it, so it is the caller's to see.
						statements.clear();
						if (!inTransaction) return null;
					}
					// As query() leaves it: the statement and its parameters on the error.
					Object.assign(error, { query: request.sql, params: request.params });
				}
				throw error;
			}
		}
	};
}

/** @typedef {Record<number | string, (value: string, typeId?: number) => unknown>} ParserTable */

/**
 * PGlite's type parsers with the types a caller parses itself (`rawTypes`) left as Postgres text,
 * built once per distinct set. db.parsers only changes in PGlite's _initArrayTypes, which runs
 * inside PGlite.create() and refreshArrayTypes(), never called here, so a table stays exact.
 * @param {PGlite} db
 */
function parserTablesOf(db) {
	/** @type {Map<string, ParserTable>} */
	const tables = new Map();
	/** @param {number[]} rawTypes */
	return (rawTypes) => {
		const key = rawTypes.join(',');
		let table = tables.get(key);
		if (!table) {
			table = { ...db.parsers, ...Object.fromEntries(rawTypes.map((type) => [type, identity])) };
			tables.set(key, table);
		}
		return table;
	};
}

/**
 * Postgres' buffer cache, which lives in PGlite's WebAssembly memory. PGlite starts Postgres with its
 * default of 128 MB, all of it resident from the start and never given back (WebAssembly memory does
 * not shrink): a bare PGlite held 290 MB after opening a database, 170-210 MB with 32 MB of buffers
 * (the app after a restart: 370-390 MB before, 225-250 MB after). A chat's hot pages are its latest
 * messages, and a page that misses is read from the operating system's cache: 3,000 turns'
 * statements cost the same CPU either way, and a worst case (chats read at random from a 213 MB
 * database) 15 % more per read. Larger teams run on Postgres.
 */
const SHARED_BUFFERS = '32MB';

/** Postgres' type OID for bytea. */
const BYTEA = 17;

/**
 * bytea as Postgres' hex text (`\x0a1b…`), through Buffer's hex codec. PGlite's own maps every byte
 * through a JavaScript string and parseInt: a 10 MB photo took 2.3 s to write and 0.9 s to read, with
 * every other statement of the app waiting behind it. Now 0.08 s each way (a prepared statement's
 * bytes go in binary, see `run`; through query() as hex text, 0.3 s).
 */
const byteaText = {
	/** @param {Uint8Array} bytes */
	serialize: (bytes) => `\\x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')}`,
	/** A plain Uint8Array (as PGlite's), which crosses to the main thread as it is. @param {string} text */
	parse: (text) => {
		const bytes = new Uint8Array((text.length - 2) / 2);
		Buffer.from(bytes.buffer).write(text.slice(2), 'hex');
		return bytes;
	}
};

/**
 * PGlite's options, the same in every thread and process that opens the cluster.
 * @param {typeof import('@electric-sql/pglite').PGlite} PGlite
 */
function pgliteOptions(PGlite) {
	return {
		// Given to this run only: PGlite's postgresqlconf option would rewrite the data directory's file.
		startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${SHARED_BUFFERS}`],
		serializers: { [BYTEA]: byteaText.serialize },
		parsers: { [BYTEA]: byteaText.parse }
	};
}

/** @param {WorkerOptions} options */
async function serve(options) {
	const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort);
	const pglite = await import('@electric-sql/pglite');
	const { PGlite } = pglite;
	/** @type {PGlite} */
	let db;
	try {
		db = await PGlite.create(options.dataDir, pgliteOptions(PGlite));
	} catch (error) {
		port.postMessage(/** @type {Reply} */ ({ id: 0, ok: false, error: serializeError(error) }));
		return;
	}
	/** @type {Map<number, ReturnType<typeof openTransaction>>} */
	const transactions = new Map();
	const prepared = preparedStatements(db, pglite);
	const parserTables = parserTablesOf(db);

	/** @param {QueryRequest} request */
	async function query(request) {
		const parsers = parserTables(request.rawTypes);
		const { tx } = request;
		const inTransaction = tx !== undefined;
		const target = tx === undefined ? db : await transactionOf(tx).ready;
		const result =
			(await prepared.query(request, parsers, inTransaction)) ??
			(await target.query(request.sql, request.params, { rowMode: request.rowMode, parsers }));
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

/**
 * Run as a process of its own (`node pglite-worker.js DIR [MIGRATIONS]`, client.ts's createCluster):
 * makes a new cluster in DIR, applies the migrations in MIGRATIONS if given, and exits. The memory
 * initdb used goes with the process, and so does what a fresh schema's DDL grew PGlite's WebAssembly
 * memory by, which never shrinks: applied by the serving thread, a first start held up to 60 MB more
 * than a later one.
 * @param {string} dataDir
 * @param {string | undefined} migrationsFolder
 */
async function createCluster(dataDir, migrationsFolder) {
	const { PGlite } = await import('@electric-sql/pglite');
	const db = await PGlite.create(dataDir, pgliteOptions(PGlite));
	try {
		if (migrationsFolder) {
			const [{ readMigrations }, { migrateTo }, { pgliteSqlClient }] = await Promise.all([
				import('./migrations/journal.js'),
				import('./migrations/runner.js'),
				import('./migrations/sql-clients.js')
			]);
			await migrateTo(pgliteSqlClient(db), readMigrations(migrationsFolder));
		}
	} finally {
		await db.close();
	}
}

if (!isMainThread && workerData?.switchboardPglite) await serve(workerData.switchboardPglite);
// Node names its entry module by its real path: through a symlinked directory (a deploy's `current`)
// argv[1] is the link's path, and compared as it is, this process would make nothing.
else if (
	isMainThread &&
	process.argv[1] &&
	pathToFileURL(realpathSync(process.argv[1])).href === import.meta.url
)
	// The messages alone, as the last line: the parent reports it. A failed migration's own message
	// is its cause's (the runner names the migration; Postgres says what was wrong).
	await createCluster(process.argv[2], process.argv[3]).catch((/** @type {unknown} */ error) => {
		const messages = [];
		for (let current = error, depth = 0; current !== undefined && depth < 5; depth++) {
			// PGlite's file system throws Emscripten's ErrnoError, which is not an Error: { name, errno }.
			messages.push(current instanceof Error ? current.message : inspect(current, { breakLength: Infinity }));
			current = current instanceof Error ? current.cause : undefined;
		}
		process.stderr.write(`${messages.join(': ').replaceAll('\n', ' ')}\n`);
		process.exitCode = 1;
	});
