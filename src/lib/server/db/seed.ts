import type { Executor } from './client';
import { providerConfigs, providerModels } from './schema';
import { seedModels, seedProviders } from './seed-catalog';

/**
 * Inserts the known providers and the model catalog. Existing rows are left alone, so a second
 * start changes nothing and an admin's edits (keys, prices, toggles) survive restarts.
 */
export async function seed(db: Executor): Promise<void> {
	await db
		.insert(providerConfigs)
		.values(seedProviders.map((p) => ({ ...p })))
		.onConflictDoNothing();
	await db
		.insert(providerModels)
		.values(seedModels.map((m) => ({ ...m, source: 'seed' as const })))
		.onConflictDoNothing();
}
