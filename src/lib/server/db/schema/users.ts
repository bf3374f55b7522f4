import {
	boolean,
	index,
	integer,
	numeric,
	pgTable,
	text,
	timestamp,
	uniqueIndex,
	uuid
} from 'drizzle-orm/pg-core';
import { userRoles } from '../../../schemas/auth';
import { themes } from '../../../schemas/preferences';

export const users = pgTable(
	'users',
	{
		id: uuid().primaryKey().defaultRandom(),
		email: text().notNull(),
		name: text(),
		passwordHash: text().notNull(),
		role: text({ enum: userRoles }).notNull().default('member'),
		disabled: boolean().notNull().default(false),
		/** Light, dark or the device's choice: kept with the account so every browser signs in with it. */
		theme: text({ enum: themes }).notNull().default('system'),
		/** USD per calendar month (UTC); null follows the role's default from app_settings. */
		monthlyBudgetUsd: numeric({ precision: 14, scale: 8 }),
		/** Per-user caps on answers at once and requests a minute; null follows the role's. */
		maxConcurrent: integer(),
		requestsPerMinute: integer(),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [uniqueIndex('users_email_unique').on(t.email)]
);

export const sessions = pgTable(
	'sessions',
	{
		// The session id is public (half of the cookie); only the SHA-256 of the secret half is stored.
		id: text().primaryKey(),
		secretHash: text().notNull(),
		userId: uuid()
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
		lastVerifiedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('sessions_user_idx').on(t.userId)]
);

export const apiTokens = pgTable(
	'api_tokens',
	{
		id: uuid().primaryKey().defaultRandom(),
		userId: uuid()
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		name: text().notNull(),
		// Only a hash of the token is kept; the hint is its last characters, to tell tokens apart in a list.
		tokenHash: text().notNull().unique(),
		hint: text().notNull(),
		/** USD per calendar month (UTC) spent through this token; null: only the owner's budget applies. */
		monthlyBudgetUsd: numeric({ precision: 14, scale: 8 }),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
		lastUsedAt: timestamp({ withTimezone: true })
	},
	(t) => [index('api_tokens_user_idx').on(t.userId)]
);
