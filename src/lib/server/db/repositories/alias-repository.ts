import { asc, eq } from 'drizzle-orm';
import type { Executor } from '../client';
import { modelAliases } from '../schema';

export type ModelAliasRow = typeof modelAliases.$inferSelect;

export async function listAliases(db: Executor): Promise<ModelAliasRow[]> {
	return db.select().from(modelAliases).orderBy(asc(modelAliases.name));
}

export async function getAlias(db: Executor, name: string): Promise<ModelAliasRow | undefined> {
	const [row] = await db.select().from(modelAliases).where(eq(modelAliases.name, name));
	return row;
}

/** Creates the alias or points it somewhere else. */
export async function setAlias(
	db: Executor,
	alias: { name: string; providerId: string; modelId: string },
	now: Date = new Date()
): Promise<ModelAliasRow> {
	const [row] = await db
		.insert(modelAliases)
		.values({ ...alias, createdAt: now, updatedAt: now })
		.onConflictDoUpdate({
			target: modelAliases.name,
			set: { providerId: alias.providerId, modelId: alias.modelId, updatedAt: now }
		})
		.returning();
	return row!;
}

export async function deleteAlias(db: Executor, name: string): Promise<ModelAliasRow | undefined> {
	const [row] = await db.delete(modelAliases).where(eq(modelAliases.name, name)).returning();
	return row;
}
