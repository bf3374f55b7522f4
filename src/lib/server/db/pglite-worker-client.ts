import { Worker } from 'node:worker_threads';
import type { PGlite, QueryOptions, Results } from '@electric-sql/pglite';
import type {
	Envelope,
	QueryResult,
	Reply,
	Request,
	SerializedError,
	WorkerOptions
} from './pglite-protocol';
import { READY_ID } from './pglite-protocol';
import { observeDb } from '../observability/db-metrics';

/** The worker thread ended (crashed, or was closed): the database is unavailable, not the query wrong. */
export class DatabaseWorkerGoneError extends Error {
	readonly code = 'PGLITE_WORKER_GONE';
	constructor(message: string, options?: { cause?: unknown }) {
		super(message, options);
		this.name = 'DatabaseWorkerGoneError';
	}
}

/** A Postgres error from the worker, with its fields (code, constraint, detail…) as PGlite set them. */
export class PgliteWorkerError extends Error {
	[field: string]: unknown;
	constructor(serialized: SerializedError) {
		super(serialized.message);
		Object.assign(this, serialized.fields);
		this.name = serialized.name;
	}
}

type Pending = { resolve: (value: QueryResult | undefined) => void; reject: (error: unknown) => void };
type Queryable = Pick<PGlite, 'query'>;

/**
 * PGlite in a worker thread, behind the part of PGlite's interface Drizzle's pglite driver calls
 * (`query`, `transaction`). The main thread only posts messages; Drizzle, its logger and result
 * mapping stay here, so query counting and row types are unchanged.
 */
export class PgliteWorkerClient {
	#worker: Worker;
	#pending = new Map<number, Pending>();
	#nextId = READY_ID + 1;
	#nextTx = 1;
	#openTransactions = 0;
	#closed?: Promise<void>;
	#gone?: DatabaseWorkerGoneError;
	/** Told when the thread dies after start-up (not after close()). */
	#onGone?: (error: Error) => void;

	private constructor(worker: Worker) {
		this.#worker = worker;
		worker.on('message', (reply: Reply) => this.#settle(reply));
		worker.on('error', (error) =>
			this.#fail(new DatabaseWorkerGoneError('the database thread crashed', { cause: error }))
		);
		worker.on('exit', (code) =>
			this.#fail(new DatabaseWorkerGoneError(`the database thread exited (code ${code})`))
		);
		this.#updateRef();
	}

	/** Starts the thread and resolves once PGlite is open there (its error if it cannot open). */
	static async start(
		workerUrl: string,
		options: WorkerOptions,
		onGone: (error: Error) => void
	): Promise<PgliteWorkerClient> {
		const worker = new Worker(new URL(workerUrl), { workerData: { switchboardPglite: options } });
		const client = new PgliteWorkerClient(worker);
		const ready = new Promise<QueryResult | undefined>((resolve, reject) =>
			client.#pending.set(READY_ID, { resolve, reject })
		);
		client.#updateRef();
		try {
			await ready;
		} catch (error) {
			await worker.terminate();
			throw error;
		}
		client.#onGone = onGone;
		return client;
	}

	query<T>(sql: string, params: unknown[] = [], options?: QueryOptions): Promise<Results<T>> {
		return observeDb(this.#query<T>(sql, params, options));
	}

	/** Drizzle's `db.transaction`: BEGIN/COMMIT run in the worker, which holds PGlite's lock meanwhile. */
	transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
		return observeDb(this.#transaction(work));
	}

	async #transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
		const tx = this.#nextTx++;
		this.#openTransactions++;
		try {
			await this.#call({ op: 'begin', tx });
			const scoped: Queryable = {
				query: <R>(sql: string, params?: unknown[], options?: QueryOptions) =>
					this.#query<R>(sql, params ?? [], options, tx)
			};
			let result: T;
			try {
				result = await work(scoped);
			} catch (error) {
				// The work's error is the one to report; a failed ROLLBACK means the thread is gone,
				// which every later call reports as unavailable anyway.
				await this.#call({ op: 'end', tx, commit: false }).catch(() => {});
				throw error;
			}
			await this.#call({ op: 'end', tx, commit: true });
			return result;
		} finally {
			this.#openTransactions--;
			this.#updateRef();
		}
	}

	/** Closes PGlite (flushing it to disk) and lets the thread end; later calls share the first. */
	close(): Promise<void> {
		if (this.#gone) return Promise.resolve();
		this.#closed ??= (async () => {
			const exited = new Promise<void>((resolve) => this.#worker.once('exit', () => resolve()));
			this.#onGone = undefined;
			await this.#call({ op: 'close' });
			await exited;
		})();
		return this.#closed;
	}

	async #query<T>(
		sql: string,
		params: unknown[],
		options: QueryOptions | undefined,
		tx?: number
	): Promise<Results<T>> {
		const parsers = options?.parsers ?? {};
		const result = await this.#call({
			op: 'query',
			sql,
			params,
			rowMode: options?.rowMode ?? 'object',
			rawTypes: Object.keys(parsers).map(Number),
			tx
		});
		return applyParsers(result!, parsers, options?.rowMode ?? 'object') as Results<T>;
	}

	#call(request: Request): Promise<QueryResult | undefined> {
		if (this.#gone) return Promise.reject(this.#gone);
		const id = this.#nextId++;
		const reply = new Promise<QueryResult | undefined>((resolve, reject) =>
			this.#pending.set(id, { resolve, reject })
		);
		this.#worker.postMessage({ id, request } satisfies Envelope);
		this.#updateRef();
		return reply;
	}

	#settle(reply: Reply): void {
		const pending = this.#pending.get(reply.id);
		if (!pending) return;
		this.#pending.delete(reply.id);
		this.#updateRef();
		if (reply.ok) pending.resolve(reply.value);
		else pending.reject(new PgliteWorkerError(reply.error));
	}

	#fail(error: DatabaseWorkerGoneError): void {
		if (this.#gone) return;
		this.#gone = error;
		for (const pending of this.#pending.values()) pending.reject(error);
		this.#pending.clear();
		this.#onGone?.(error);
	}

	// An idle thread must not keep the process alive; one with work in flight must.
	#updateRef(): void {
		if (this.#pending.size > 0 || this.#openTransactions > 0 || this.#closed) this.#worker.ref();
		else this.#worker.unref();
	}
}

/** Applies the caller's parsers to the columns the worker returned as text (Drizzle keeps dates as strings). */
function applyParsers(
	result: QueryResult,
	parsers: NonNullable<QueryOptions['parsers']>,
	rowMode: 'array' | 'object'
): QueryResult {
	const columns = result.fields
		.map((field, index) => ({ field, index, parse: parsers[field.dataTypeID] }))
		.filter((column) => column.parse);
	if (columns.length === 0) return result;
	for (const row of result.rows as Record<string | number, unknown>[]) {
		for (const { field, index, parse } of columns) {
			const key = rowMode === 'array' ? index : field.name;
			const value = row[key];
			if (typeof value === 'string') row[key] = parse!(value);
		}
	}
	return result;
}
