import { asc, eq, ne } from 'drizzle-orm';
import type { Executor } from '../client';
import { providerConfigs } from '../schema';

export type ProviderConfigRow = typeof providerConfigs.$inferSelect;

/** What an admin may change. Keys arrive already sealed (crypto.ts `sealApiKey`); `null` clears. */
export type ProviderConfigPatch = {
	enabled?: boolean;
	baseUrl?: string | null;
	apiKeyEncrypted?: string | null;
	apiKeyHint?: string | null;
	isDefault?: boolean;
	priority?: number;
	defaultModelId?: string | null;
	/** Merged into the stored settings (keys not named are kept). */
	settings?: Record<string, unknown>;
};

/** All providers, in fallback order (priority, then id). */
export async function listProviderConfigs(db: Executor): Promise<ProviderConfigRow[]> {
	return db.select().from(providerConfigs).orderBy(asc(providerConfigs.priority), asc(providerConfigs.id));
}

export async function getProviderConfig(
	db: Executor,
	providerId: string
): Promise<ProviderConfigRow | undefined> {
	const [row] = await db.select().from(providerConfigs).where(eq(providerConfigs.id, providerId));
	return row;
}

/**
 * Applies a patch in one transaction: the settings merge reads the row first, and marking a
 * provider default unmarks the others, so at most one row is ever the default.
 */
export async function updateProviderConfig(
	db: Executor,
	providerId: string,
	patch: ProviderConfigPatch
): Promise<ProviderConfigRow | undefined> {
	return db.transaction(async (tx) => {
		const [current] = await tx
			.select()
			.from(providerConfigs)
			.where(eq(providerConfigs.id, providerId))
			.for('update');
		if (!current) return undefined;
		if (patch.isDefault) {
			await tx.update(providerConfigs).set({ isDefault: false }).where(ne(providerConfigs.id, providerId));
		}
		const { settings, ...columns } = patch;
		const [row] = await tx
			.update(providerConfigs)
			.set({
				...columns,
				...(settings ? { settings: { ...current.settings, ...settings } } : {}),
				updatedAt: new Date()
			})
			.where(eq(providerConfigs.id, providerId))
			.returning();
		return row;
	});
}
