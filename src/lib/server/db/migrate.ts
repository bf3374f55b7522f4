import path from 'node:path';
import type { DatabaseHandle } from './client';
import { seed } from './seed';

/** drizzle/ is read at run time, so it ships beside the build and is found from the working directory. */
export const migrationsFolder = path.resolve(process.env.MIGRATIONS_DIR ?? 'drizzle');

/** Applies pending migrations, then the idempotent seed. Safe on every start. */
export async function prepareDatabase(handle: DatabaseHandle): Promise<void> {
	await handle.migrate(migrationsFolder);
	await seed(handle.db);
}
