import { and, eq, inArray, isNull, not, sql } from 'drizzle-orm';
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
	await markVision(db);
	await fillCachePrices(db);
}

/**
 * Catalog models seeded before Switchboard priced the prompt cache get the catalog's cache prices,
 * only while they have none and still carry the catalog's input price: a model an admin repriced
 * keeps the admin's pricing.
 */
async function fillCachePrices(db: Executor): Promise<void> {
	for (const m of seedModels) {
		await db
			.update(providerModels)
			.set({
				cacheReadPricePerMTok: m.cacheReadPricePerMTok,
				cacheWritePricePerMTok: m.cacheWritePricePerMTok
			})
			.where(
				and(
					eq(providerModels.providerId, m.providerId),
					eq(providerModels.modelId, m.modelId),
					eq(providerModels.source, 'seed'),
					eq(providerModels.inputPricePerMTok, m.inputPricePerMTok),
					isNull(providerModels.cacheReadPricePerMTok),
					isNull(providerModels.cacheWritePricePerMTok)
				)
			);
	}
}

/**
 * Catalog models seeded before Switchboard knew about images lack the `vision` flag: it is added
 * where the flag is missing only, so an admin who turned it off keeps it off.
 */
async function markVision(db: Executor): Promise<void> {
	const seeing = seedModels.filter((m) => m.capabilities.vision);
	for (const providerId of new Set(seeing.map((m) => m.providerId))) {
		const modelIds = seeing.filter((m) => m.providerId === providerId).map((m) => m.modelId);
		await db
			.update(providerModels)
			.set({ capabilities: sql`${providerModels.capabilities} || '{"vision": true}'::jsonb` })
			.where(
				and(
					eq(providerModels.providerId, providerId),
					eq(providerModels.source, 'seed'),
					inArray(providerModels.modelId, modelIds),
					not(sql`${providerModels.capabilities} ? 'vision'`)
				)
			);
	}
}
