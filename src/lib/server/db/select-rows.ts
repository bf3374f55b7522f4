import type { SQL } from 'drizzle-orm';
import type { Executor } from './client';

/** A raw statement's rows on either driver: postgres.js returns the rows, PGlite returns `{ rows }`. */
export async function selectRows<T>(db: Pick<Executor, 'execute'>, query: SQL): Promise<T[]> {
	const result = (await db.execute(query)) as unknown;
	return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}
