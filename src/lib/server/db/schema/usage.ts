import { sql } from 'drizzle-orm';
import { boolean, index, integer, numeric, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { usageStatuses } from '../../../schemas/common';
import type { ProviderErrorCode } from '../../../schemas/provider-error';
import type { UsageSource } from '../../../schemas/usage';
import { apiTokens, users } from './users';
import { chats, messages } from './chats';

export const providerUsage = pgTable(
	'provider_usage',
	{
		id: uuid().primaryKey().defaultRandom(),
		// Usage is billing history: it outlives a deleted chat (set null) but not a deleted user.
		userId: uuid()
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		chatId: uuid().references(() => chats.id, { onDelete: 'set null' }),
		messageId: uuid().references(() => messages.id, { onDelete: 'set null' }),
		providerId: text().notNull(),
		modelId: text().notNull(),
		inputTokens: integer().notNull().default(0),
		outputTokens: integer().notNull().default(0),
		/** Of inputTokens, those read from the provider's prompt cache (priced at the cache-read price). */
		cacheReadTokens: integer().notNull().default(0),
		/** Of inputTokens, those written to the prompt cache (priced at the cache-write price). */
		cacheWriteTokens: integer().notNull().default(0),
		/** True when the provider reported no usage and the figures were estimated from text. */
		estimated: boolean().notNull().default(false),
		/** USD, the call's whole cost (cache reads and writes included); null when the model's price is unknown. */
		costUsd: numeric({ precision: 14, scale: 8 }),
		latencyMs: integer(),
		ttftMs: integer(),
		status: text({ enum: usageStatuses }).notNull(),
		errorCode: text().$type<ProviderErrorCode>(),
		source: text().$type<UsageSource>().notNull().default('app'),
		/** The API token the call came through (null from the web app): a token's budget sums these. */
		apiTokenId: uuid().references(() => apiTokens.id, { onDelete: 'set null' }),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('provider_usage_provider_created_idx').on(t.providerId, t.createdAt),
		index('provider_usage_user_created_idx').on(t.userId, t.createdAt),
		index('provider_usage_chat_idx').on(t.chatId),
		// A deleted message sets its usage rows' `message_id` to null: without this index, a scan of the
		// whole table per message (see `messages_parent_idx`). Calls outside a chat have no entry here.
		index('provider_usage_message_idx')
			.on(t.messageId)
			.where(sql`${t.messageId} is not null`),
		index('provider_usage_token_created_idx').on(t.apiTokenId, t.createdAt)
	]
);
