import { and, asc, eq, type SQL } from 'drizzle-orm';
import type { Executor } from '../client';
import type { DiscoveredModel } from '../../providers/types';
import { providerModels, type ModelCapabilities } from '../schema';

export type ProviderModelRow = typeof providerModels.$inferSelect;

export type ModelFilter = { providerId?: string; enabled?: boolean };

export type DiscoveryCounts = { added: number; updated: number; missing: number };

/** An admin's edit; prices in USD per million tokens, `null` for unknown. */
export type ModelPatch = {
	enabled?: boolean;
	displayName?: string;
	inputPricePerMTok?: number | null;
	outputPricePerMTok?: number | null;
	cacheReadPricePerMTok?: number | null;
	cacheWritePricePerMTok?: number | null;
	contextWindow?: number | null;
	maxOutputTokens?: number | null;
	supportsTemperature?: boolean;
	supportsVision?: boolean;
	promptCaching?: boolean;
};

const priceColumns = [
	'inputPricePerMTok',
	'outputPricePerMTok',
	'cacheReadPricePerMTok',
	'cacheWritePricePerMTok'
] as const;

export async function listModels(db: Executor, filter: ModelFilter = {}): Promise<ProviderModelRow[]> {
	const conditions: SQL[] = [];
	if (filter.providerId !== undefined) conditions.push(eq(providerModels.providerId, filter.providerId));
	if (filter.enabled !== undefined) conditions.push(eq(providerModels.enabled, filter.enabled));
	return db
		.select()
		.from(providerModels)
		.where(conditions.length ? and(...conditions) : undefined)
		.orderBy(asc(providerModels.providerId), asc(providerModels.modelId));
}

export async function getModel(
	db: Executor,
	providerId: string,
	modelId: string
): Promise<ProviderModelRow | undefined> {
	const [row] = await db
		.select()
		.from(providerModels)
		.where(and(eq(providerModels.providerId, providerId), eq(providerModels.modelId, modelId)));
	return row;
}

const price = (value: number | null | undefined) =>
	value === undefined ? undefined : value === null ? null : String(value);

/**
 * Records a discovery run: new models are added (source 'discovered', enabled, prices unknown);
 * known ones get lastSeenAt and any limits they lacked, never an admin's prices, toggles or
 * capabilities; models the provider no longer lists are kept and counted as missing.
 */
export async function upsertDiscoveredModels(
	db: Executor,
	providerId: string,
	discovered: readonly DiscoveredModel[],
	options: { capabilities: ModelCapabilities; now?: Date }
): Promise<DiscoveryCounts> {
	const now = options.now ?? new Date();
	return db.transaction(async (tx) => {
		const existing = new Map((await listModels(tx, { providerId })).map((m) => [m.modelId, m]));
		const seen = new Set<string>();
		let added = 0;
		let updated = 0;
		for (const model of discovered) {
			if (seen.has(model.modelId)) continue;
			seen.add(model.modelId);
			const row = existing.get(model.modelId);
			if (!row) {
				await tx.insert(providerModels).values({
					providerId,
					modelId: model.modelId,
					displayName: model.displayName || model.modelId,
					contextWindow: model.contextWindow ?? null,
					maxOutputTokens: model.maxOutputTokens ?? null,
					capabilities: model.vision ? { ...options.capabilities, vision: true } : options.capabilities,
					source: 'discovered',
					lastSeenAt: now
				});
				added++;
				continue;
			}
			await tx
				.update(providerModels)
				.set({
					lastSeenAt: now,
					contextWindow: row.contextWindow ?? model.contextWindow ?? null,
					maxOutputTokens: row.maxOutputTokens ?? model.maxOutputTokens ?? null,
					updatedAt: now
				})
				.where(and(eq(providerModels.providerId, providerId), eq(providerModels.modelId, model.modelId)));
			updated++;
		}
		return { added, updated, missing: [...existing.keys()].filter((id) => !seen.has(id)).length };
	});
}

export async function updateModel(
	db: Executor,
	providerId: string,
	modelId: string,
	patch: ModelPatch
): Promise<ProviderModelRow | undefined> {
	return db.transaction(async (tx) => {
		const current = await getModel(tx, providerId, modelId);
		if (!current) return undefined;
		const {
			supportsTemperature,
			supportsVision,
			promptCaching,
			inputPricePerMTok,
			outputPricePerMTok,
			cacheReadPricePerMTok,
			cacheWritePricePerMTok,
			...columns
		} = patch;
		const capabilities: ModelCapabilities | undefined =
			supportsTemperature === undefined && supportsVision === undefined && promptCaching === undefined
				? undefined
				: {
						...current.capabilities,
						...(supportsTemperature !== undefined ? { temperature: supportsTemperature } : {}),
						...(supportsVision !== undefined ? { vision: supportsVision } : {}),
						...(promptCaching !== undefined ? { promptCaching } : {})
					};
		const prices = { inputPricePerMTok, outputPricePerMTok, cacheReadPricePerMTok, cacheWritePricePerMTok };
		const priceSet = Object.fromEntries(
			priceColumns
				.filter((column) => prices[column] !== undefined)
				.map((column) => [column, price(prices[column])])
		);
		const [row] = await tx
			.update(providerModels)
			.set({
				...columns,
				...(capabilities ? { capabilities } : {}),
				...priceSet,
				updatedAt: new Date()
			})
			.where(and(eq(providerModels.providerId, providerId), eq(providerModels.modelId, modelId)))
			.returning();
		return row;
	});
}

export type NewModel = typeof providerModels.$inferInsert;

/** A model an admin adds by hand; discovery later only fills limits it lacks (never prices or toggles). */
export async function insertModel(db: Executor, model: NewModel): Promise<ProviderModelRow | undefined> {
	const [row] = await db.insert(providerModels).values(model).onConflictDoNothing().returning();
	return row;
}

export async function deleteModel(
	db: Executor,
	providerId: string,
	modelId: string
): Promise<ProviderModelRow | undefined> {
	const [row] = await db
		.delete(providerModels)
		.where(and(eq(providerModels.providerId, providerId), eq(providerModels.modelId, modelId)))
		.returning();
	return row;
}
