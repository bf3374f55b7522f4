import path from 'node:path';
import { sql, type SQL } from 'drizzle-orm';
import type { DatabaseHandle, Executor } from './client';
import type { SqlClient, SqlExecutor } from './migrations/runner.js';
import { seed } from './seed';
import { selectRows } from './select-rows';

/** drizzle/ is read at run time, so it ships beside the build and is found from the working directory. */
export const migrationsFolder = path.resolve(process.env.MIGRATIONS_DIR ?? 'drizzle');

/**
 * `$1`-style text and values as one Drizzle query, the form the shared runner speaks. Text without
 * values (a migration's own statements) goes as it is, so a `$1` inside a function body stays SQL,
 * as it does through scripts/migrate.mjs.
 */
function withParams(text: string, params: unknown[] = []): SQL {
	if (params.length === 0) return sql.raw(text);
	const parts = text.split(/\$(\d+)/);
	const chunks: SQL[] = parts.map((part, i) =>
		i % 2 === 0 ? sql.raw(part) : sql`${params[Number(part) - 1]}`
	);
	return sql.join(chunks);
}

function executor(db: Executor): SqlExecutor {
	return {
		query: (text, params) => selectRows<Record<string, unknown>>(db, withParams(text, params))
	};
}

function drizzleSqlClient(handle: DatabaseHandle): SqlClient {
	return {
		...executor(handle.db),
		transaction: (work) => handle.db.transaction((tx) => work(executor(tx)))
	};
}

/**
 * Applies pending migrations, then the idempotent seed. Safe on every start. A database migrated
 * past what this version knows stops here with MigrationPlanError ('schema-too-new'), whose
 * message says which version to run or how to migrate down.
 */
export async function prepareDatabase(handle: DatabaseHandle): Promise<void> {
	// Imported here, not above: the build then gives them chunks of their own, which the process that
	// makes a new PGlite cluster loads (pglite-worker.js) without the rest of the server.
	const [{ readMigrations }, { migrateTo }] = await Promise.all([
		import('./migrations/journal.js'),
		import('./migrations/runner.js')
	]);
	await migrateTo(drizzleSqlClient(handle), readMigrations(migrationsFolder));
	await seed(handle.db);
}
