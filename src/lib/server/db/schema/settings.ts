import { boolean, integer, numeric, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Settings admins change at run time, in one row (`id = 'global'`). Every column is optional:
 * null keeps the built-in default, so a fresh install behaves as before without a seeded row.
 */
export const appSettings = pgTable('app_settings', {
	id: text().primaryKey(),
	/** USD per calendar month (UTC) for members without their own budget; null: no budget. */
	memberMonthlyBudgetUsd: numeric({ precision: 14, scale: 8 }),
	/** Whether users under a budget may call models whose price is unknown (their cost cannot be counted). */
	allowUnpricedForBudgeted: boolean().notNull().default(false),
	memberMaxConcurrent: integer(),
	memberRequestsPerMinute: integer(),
	adminMaxConcurrent: integer(),
	adminRequestsPerMinute: integer(),
	updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
});
