import { boolean, integer, jsonb, numeric, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { modelSources } from '../../../schemas/common';
import type { ProviderKind } from '../../../schemas/provider-kinds';
import type { ProviderSettings } from '../../../schemas/provider-settings';

export const providerConfigs = pgTable('provider_configs', {
	id: text().primaryKey(),
	// Typed for code; a row of a kind this build does not know reads as "not configured" (provider-config.ts).
	kind: text().$type<ProviderKind>().notNull(),
	displayName: text().notNull(),
	enabled: boolean().notNull().default(true),
	baseUrl: text(),
	/** AES-256-GCM ciphertext (see crypto.ts), never the key itself. */
	apiKeyEncrypted: text(),
	apiKeyHint: text(),
	/** An admin's extra request headers as sealed JSON (crypto.ts): gateways put credentials there. */
	extraHeadersEncrypted: text(),
	isDefault: boolean().notNull().default(false),
	priority: integer().notNull().default(100),
	defaultModelId: text(),
	// Checked where it is read (providerSettings()): the column is JSON anyone with the database can edit.
	settings: jsonb().$type<ProviderSettings>().notNull().default({}),
	/**
	 * Set when an admin deletes the provider. The row stays so chats (which reference it) and usage
	 * rows and messages (which name it) keep reading as they did; it is gone from every list and call.
	 */
	deletedAt: timestamp({ withTimezone: true }),
	createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
	updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
});

/**
 * What a model accepts. `topP` unset follows `temperature` (both are sampling parameters the same
 * models refuse); `stop` unset means yes (every kind takes stop sequences); `seed` only where set.
 */
export type ModelCapabilities = {
	temperature: boolean;
	topP?: boolean;
	stop?: boolean;
	seed?: boolean;
	vision?: boolean;
	reasoning?: boolean;
	/** Cache breakpoints on chats, for kinds that take them (provider-kind.ts); unset means on. */
	promptCaching?: boolean;
};

export const providerModels = pgTable(
	'provider_models',
	{
		providerId: text()
			.notNull()
			.references(() => providerConfigs.id, { onDelete: 'cascade' }),
		modelId: text().notNull(),
		displayName: text().notNull(),
		contextWindow: integer(),
		maxOutputTokens: integer(),
		/** USD per million tokens; null when unknown, so a cost is never silently 0. */
		inputPricePerMTok: numeric({ precision: 12, scale: 6 }),
		outputPricePerMTok: numeric({ precision: 12, scale: 6 }),
		/** USD per million prompt tokens read from the cache; null prices them as plain input. */
		cacheReadPricePerMTok: numeric({ precision: 12, scale: 6 }),
		/** USD per million prompt tokens written to the cache; null prices them as plain input. */
		cacheWritePricePerMTok: numeric({ precision: 12, scale: 6 }),
		capabilities: jsonb().$type<ModelCapabilities>().notNull().default({ temperature: true }),
		enabled: boolean().notNull().default(true),
		source: text({ enum: modelSources }).notNull().default('seed'),
		/** Set by discovery; a model missing from the latest discovery keeps an older date. */
		lastSeenAt: timestamp({ withTimezone: true }),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.providerId, t.modelId] })]
);

/**
 * A name (`fast`, `smart`) that stands for one provider and model. Clients that ask for the name
 * follow it when an admin repoints it; a deleted provider takes its aliases with it.
 */
export const modelAliases = pgTable('model_aliases', {
	name: text().primaryKey(),
	providerId: text()
		.notNull()
		.references(() => providerConfigs.id, { onDelete: 'cascade' }),
	modelId: text().notNull(),
	createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
	updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
});
