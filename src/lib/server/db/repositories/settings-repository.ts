import { eq } from 'drizzle-orm';
import type { Executor } from '../client';
import { appSettings } from '../schema';

export type AppSettingsRow = typeof appSettings.$inferSelect;
export type AppSettingsValues = Omit<AppSettingsRow, 'id' | 'updatedAt'>;

/** The settings live in one row under this id. */
const GLOBAL = 'global';

export async function findAppSettings(db: Executor): Promise<AppSettingsRow | undefined> {
	const [row] = await db.select().from(appSettings).where(eq(appSettings.id, GLOBAL));
	return row;
}

export async function saveAppSettings(
	db: Executor,
	values: AppSettingsValues,
	now: Date
): Promise<AppSettingsRow> {
	const [row] = await db
		.insert(appSettings)
		.values({ id: GLOBAL, ...values, updatedAt: now })
		.onConflictDoUpdate({ target: appSettings.id, set: { ...values, updatedAt: now } })
		.returning();
	return row;
}
