import { and, asc, eq, isNull, ne } from 'drizzle-orm';
import type { Executor } from '../client';
import { modelAliases, providerConfigs, providerModels } from '../schema';
import { providerSettings, type ProviderSettings } from '../../../schemas/provider-settings';

export type ProviderConfigRow = typeof providerConfigs.$inferSelect;

/** What an admin may change. Keys arrive already sealed (crypto.ts `sealApiKey`); `null` clears. */
export type ProviderConfigPatch = {
	displayName?: string;
	extraHeadersEncrypted?: string | null;
	enabled?: boolean;
	baseUrl?: string | null;
	apiKeyEncrypted?: string | null;
	apiKeyHint?: string | null;
	isDefault?: boolean;
	priority?: number;
	defaultModelId?: string | null;
	/** Merged into the stored settings (keys not named are kept). */
	settings?: ProviderSettings;
};

export type NewProviderConfig = typeof providerConfigs.$inferInsert;

const live = isNull(providerConfigs.deletedAt);

/** All providers not deleted, in fallback order (priority, then id). */
export async function listProviderConfigs(db: Executor): Promise<ProviderConfigRow[]> {
	return db
		.select()
		.from(providerConfigs)
		.where(live)
		.orderBy(asc(providerConfigs.priority), asc(providerConfigs.id));
}

export async function getProviderConfig(
	db: Executor,
	providerId: string
): Promise<ProviderConfigRow | undefined> {
	const [row] = await db
		.select()
		.from(providerConfigs)
		.where(and(eq(providerConfigs.id, providerId), live));
	return row;
}

/** Whether the id was ever used, deleted rows included: ids are never reused (history names them). */
export async function providerIdTaken(db: Executor, providerId: string): Promise<boolean> {
	const [row] = await db
		.select({ id: providerConfigs.id })
		.from(providerConfigs)
		.where(eq(providerConfigs.id, providerId));
	return !!row;
}

/** Inserts a provider; marking it default unmarks the others in the same transaction. */
export async function insertProviderConfig(
	db: Executor,
	values: NewProviderConfig
): Promise<ProviderConfigRow> {
	return db.transaction(async (tx) => {
		if (values.isDefault) await tx.update(providerConfigs).set({ isDefault: false });
		const [row] = await tx.insert(providerConfigs).values(values).returning();
		return row!;
	});
}

/**
 * Deletes a provider softly: the row stays for the history that names it, its secrets and models go
 * (models are configuration; usage rows keep their own figures and cost).
 */
export async function deleteProviderConfig(
	db: Executor,
	providerId: string,
	now: Date = new Date()
): Promise<ProviderConfigRow | undefined> {
	return db.transaction(async (tx) => {
		const [row] = await tx
			.update(providerConfigs)
			.set({
				deletedAt: now,
				enabled: false,
				isDefault: false,
				apiKeyEncrypted: null,
				apiKeyHint: null,
				extraHeadersEncrypted: null,
				updatedAt: now
			})
			.where(and(eq(providerConfigs.id, providerId), live))
			.returning();
		if (row) {
			await tx.delete(providerModels).where(eq(providerModels.providerId, providerId));
			await tx.delete(modelAliases).where(eq(modelAliases.providerId, providerId));
		}
		return row;
	});
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
			.where(and(eq(providerConfigs.id, providerId), live))
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
				...(settings ? { settings: { ...providerSettings(current), ...settings } } : {}),
				updatedAt: new Date()
			})
			.where(eq(providerConfigs.id, providerId))
			.returning();
		return row;
	});
}
