import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Logger } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { PGlite } from '@electric-sql/pglite';
import { observeDb } from '../observability/db-metrics';
import { restrictDataDir } from './data-dir-modes';
import { holdPglite } from './pglite-holder.js';
import { PgliteWorkerClient } from './pglite-worker-client';
import { preferPrepared } from './postgres-prepared';
import * as schema from './schema';

const execFileAsync = promisify(execFile);

/** Both drivers share Drizzle's Postgres base class: code above this file never knows which one runs. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** A database or an open transaction: repositories accept either so services can compose writes. */
export type Executor = Db | Tx;

export type DatabaseHandle = {
	db: Db;
	driver: 'pglite' | 'postgres';
	migrate(migrationsFolder: string): Promise<void>;
	ping(): Promise<void>;
	close(): Promise<void>;
};

export type OpenOptions = {
	/** postgres:// URL; without one, embedded PGlite is used. */
	url?: string;
	/** PGlite's data directory, or 'memory://' for a throwaway database. */
	dataDir: string;
	logger?: Logger;
	/**
	 * drizzle/: a new embedded cluster gets its migrations in the process that makes it (createCluster).
	 * prepareDatabase still runs them on every start; on a new cluster they are then already applied.
	 */
	migrationsFolder?: string;
	/** Called if embedded PGlite's thread dies while open; its queries then fail as unavailable. */
	onUnavailable?: (error: Error) => void;
};

export async function openDatabase(options: OpenOptions): Promise<DatabaseHandle> {
	return options.url ? openPostgres(options.url, options.logger) : openPglite(options);
}

async function openPglite({
	dataDir,
	logger,
	migrationsFolder,
	onUnavailable = () => {}
}: OpenOptions): Promise<DatabaseHandle> {
	const [{ drizzle }, { migrate }, { workerUrl }] = await Promise.all([
		import('drizzle-orm/pglite'),
		import('drizzle-orm/pglite/migrator'),
		// Imported only for its URL: in the build it is a chunk of its own, which the thread runs.
		import('./pglite-worker.js')
	]);
	const location = dataDir.startsWith('memory://') ? dataDir : path.resolve(dataDir, 'pglite');
	if (!dataDir.startsWith('memory://')) {
		mkdirSync(location, { recursive: true, mode: 0o700 });
		if (!existsSync(path.join(location, 'PG_VERSION')))
			await createCluster(workerUrl, location, migrationsFolder);
	}
	const client = await PgliteWorkerClient.start(workerUrl, { dataDir: location }, onUnavailable);
	// A new cluster is unpacked with its archive's modes (0666), which the umask cannot narrow.
	if (!dataDir.startsWith('memory://')) await restrictDataDir(location);
	// Lets db:backup and db:restore tell this process's lock from one a killed process left.
	const release = dataDir.startsWith('memory://') ? () => {} : holdPglite(location);
	// Drizzle's pglite driver calls only `query` and `transaction`, which the worker client implements.
	const db = drizzle({ client: client as unknown as PGlite, schema, casing: 'snake_case', logger });
	return {
		db: db as unknown as Db,
		driver: 'pglite',
		migrate: (migrationsFolder) => migrate(db, { migrationsFolder }),
		ping: async () => {
			await client.query('select 1');
		},
		close: () => client.close().finally(release)
	};
}

/**
 * Makes a new cluster in a process of its own, which then exits. PGlite runs initdb in the thread
 * that opens a new data directory, and what initdb used stays with it: a bare PGlite held 790 MB
 * after creating a cluster and 275 MB after opening one, and a first start of the app sat at 890 MB
 * until a few hundred turns in. In a thread that ends, the thread's memory went back to the C
 * allocator but not to the system (a first start held 434 MB against 312-329 MB for a later one);
 * a process gives it all back. The thread that serves opens the cluster this one made: a first start
 * costs a second opening (about a second). The same process applies the migrations, for the same
 * reason (pglite-worker.js).
 */
async function createCluster(workerUrl: string, location: string, migrationsFolder?: string): Promise<void> {
	try {
		const args = [fileURLToPath(workerUrl), location, ...(migrationsFolder ? [migrationsFolder] : [])];
		await execFileAsync(process.execPath, args);
	} catch (error) {
		// Its last line is the error's message (pglite-worker.js).
		const reason = (error as { stderr?: string }).stderr?.trim().split('\n').at(-1) || String(error);
		throw new Error(`Could not create the embedded database in ${location}: ${reason}`, { cause: error });
	}
	// A process that exited cleanly without a cluster would leave initdb to the serving thread, and
	// its memory with it: said, not silently worked around.
	if (!existsSync(path.join(location, 'PG_VERSION')))
		throw new Error(`Could not create the embedded database in ${location}: the process made no cluster.`);
}

async function openPostgres(url: string, logger?: Logger): Promise<DatabaseHandle> {
	const [{ default: postgres }, { drizzle }, { migrate }] = await Promise.all([
		import('postgres'),
		import('drizzle-orm/postgres-js'),
		import('drizzle-orm/postgres-js/migrator')
	]);
	// onnotice: migrations' "already exists, skipping" notices are noise in the server log.
	const client = timed(preferPrepared(postgres(url, { max: 10, onnotice: () => {}, connect_timeout: 10 })));
	const db = drizzle({ client, schema, casing: 'snake_case', logger });
	return {
		db: db as unknown as Db,
		driver: 'postgres',
		migrate: (migrationsFolder) => migrate(db, { migrationsFolder }),
		ping: async () => {
			await client`select 1`;
		},
		close: () => client.end({ timeout: 5 })
	};
}

/**
 * Times the round trips Drizzle makes through postgres.js: each top-level statement (`unsafe`,
 * awaited through its `then`) and each transaction (`begin`) as a whole, like the PGlite client.
 */
function timed<T extends { unsafe: (...args: never[]) => unknown; begin: (...args: never[]) => unknown }>(
	client: T
): T {
	const unsafe = client.unsafe.bind(client) as (...args: unknown[]) => PromiseLike<unknown>;
	const begin = client.begin.bind(client) as (...args: unknown[]) => PromiseLike<unknown>;
	return Object.assign(client, {
		unsafe: (...args: unknown[]) => {
			const pending = unsafe(...args);
			// A postgres.js query runs when awaited; timing wraps that await, whatever mode
			// (`.values()`, `.raw()`) Drizzle picks before it.
			const then = pending.then.bind(pending);
			(pending as { then: PromiseLike<unknown>['then'] }).then = (onFulfilled, onRejected) =>
				observeDb({ then }).then(onFulfilled, onRejected);
			return pending;
		},
		begin: (...args: unknown[]) => observeDb(begin(...args))
	});
}
