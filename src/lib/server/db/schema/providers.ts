import { boolean, integer, jsonb, numeric, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

export const providerConfigs = pgTable('provider_configs', {
	id: text().primaryKey(),
	kind: text().notNull(),
	displayName: text().notNull(),
	enabled: boolean().notNull().default(true),
	baseUrl: text(),
	/** AES-256-GCM ciphertext (see crypto.ts), never the key itself. */
	apiKeyEncrypted: text(),
	apiKeyHint: text(),
	isDefault: boolean().notNull().default(false),
	priority: integer().notNull().default(100),
	defaultModelId: text(),
	settings: jsonb().$type<Record<string, unknown>>().notNull().default({}),
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
		capabilities: jsonb().$type<ModelCapabilities>().notNull().default({ temperature: true }),
		enabled: boolean().notNull().default(true),
		source: text({ enum: ['seed', 'discovered', 'manual'] })
			.notNull()
			.default('seed'),
		/** Set by discovery; a model missing from the latest discovery keeps an older date. */
		lastSeenAt: timestamp({ withTimezone: true }),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.providerId, t.modelId] })]
);
