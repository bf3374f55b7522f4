import { afterAll, beforeAll, beforeEach } from 'vitest';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import type { Logger } from 'drizzle-orm';
import { openDatabase, type DatabaseHandle } from '../../src/lib/server/db/client';
import { prepareDatabase } from '../../src/lib/server/db/migrate';
import { seed } from '../../src/lib/server/db/seed';

/**
 * One database per test worker: a fresh PGlite costs seconds, so files in a worker share it and
 * tests reset it by truncation. With DATABASE_URL set, each worker gets its own Postgres database.
 */
type Shared = { handle?: Promise<DatabaseHandle>; queries: number; counting: boolean; counted?: string[] };
const shared: Shared = ((globalThis as { __testDb?: Shared }).__testDb ??= { queries: 0, counting: false });

const queryCounter: Logger = {
	logQuery(query) {
		if (!shared.counting) return;
		shared.queries++;
		shared.counted?.push(query);
	}
};

/** A Postgres database for this worker, created empty from DATABASE_URL's server. */
export async function createScratchPostgres(suffix: string): Promise<string> {
	const base = new URL(process.env.DATABASE_URL!);
	const name = `${base.pathname.slice(1) || 'switchboard'}_${suffix}`.replace(/[^a-z0-9_]/gi, '_');
	const admin = postgres(base.toString(), { max: 1, onnotice: () => {} });
	try {
		await admin.unsafe(`drop database if exists "${name}" with (force)`);
		await admin.unsafe(`create database "${name}"`);
	} finally {
		await admin.end();
	}
	base.pathname = `/${name}`;
	return base.toString();
}

async function open(): Promise<DatabaseHandle> {
	const worker = process.env.VITEST_POOL_ID ?? '0';
	const url = process.env.DATABASE_URL ? await createScratchPostgres(`test_w${worker}`) : undefined;
	const handle = await openDatabase({ url, dataDir: 'memory://', logger: queryCounter });
	await prepareDatabase(handle);
	return handle;
}

export function getTestDatabase(): Promise<DatabaseHandle> {
	shared.handle ??= open();
	return shared.handle;
}

const tables = [
	'audit_log',
	'app_settings',
	'provider_usage',
	'messages',
	'chats',
	'api_tokens',
	'sessions',
	'users',
	'provider_models',
	'model_aliases',
	'provider_configs'
];

/** Empties every table and re-seeds the catalog: each test starts from a fresh install. */
export async function resetDatabase(handle: DatabaseHandle): Promise<void> {
	await handle.db.execute(sql.raw(`truncate table ${tables.map((t) => `"${t}"`).join(', ')} cascade`));
	await seed(handle.db);
}

/** Counts the SQL statements `work` sends through Drizzle. */
export async function countQueries(work: () => Promise<unknown>): Promise<number> {
	shared.queries = 0;
	shared.counted = [];
	shared.counting = true;
	try {
		await work();
	} finally {
		shared.counting = false;
	}
	return shared.queries;
}

/** The statements the last countQueries saw, as SQL text. */
export function countedStatements(): string[] {
	return shared.counted ?? [];
}

/** How many statements the running countQueries has seen so far (e.g. when a stream's first delta arrives). */
export function queriesSoFar(): number {
	return shared.queries;
}

/** Registers the hooks a database test needs and returns the handle (valid inside tests). */
export function useTestDatabase(): { readonly handle: DatabaseHandle } {
	const state: { handle?: DatabaseHandle } = {};
	beforeAll(async () => {
		state.handle = await getTestDatabase();
	});
	beforeEach(async () => {
		await resetDatabase(state.handle!);
	});
	afterAll(() => {
		// The handle stays open for the next file in this worker; the process exit closes it.
	});
	return {
		get handle() {
			if (!state.handle) throw new Error('useTestDatabase: the database is opened in beforeAll');
			return state.handle;
		}
	};
}
