import {
	type AnyPgColumn,
	boolean,
	index,
	integer,
	jsonb,
	numeric,
	pgTable,
	real,
	text,
	timestamp,
	uuid
} from 'drizzle-orm/pg-core';
import { finishReasons, messageRoles, messageStatuses } from '../../../schemas/common';
import type { ProviderErrorCode } from '../../../schemas/provider-error';
import { users } from './users';
import { providerConfigs } from './providers';

export const chats = pgTable(
	'chats',
	{
		id: uuid().primaryKey().defaultRandom(),
		userId: uuid()
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		title: text().notNull().default('New chat'),
		/** True once the user renamed the chat; the first message no longer sets the title. */
		titleLocked: boolean().notNull().default(false),
		// A provider row is never deleted while chats point at it (restrict): history keeps its meaning.
		providerId: text().references(() => providerConfigs.id, { onDelete: 'restrict' }),
		modelId: text(),
		systemPrompt: text(),
		temperature: real(),
		maxTokens: integer(),
		/** Sampling beyond temperature, sent only to models whose capabilities take it. */
		topP: real(),
		stopSequences: jsonb().$type<string[]>(),
		seed: integer(),
		/**
		 * The last message of the branch on screen: the conversation is the path from the root to it.
		 * No foreign key: a leaf that no longer exists falls back to the newest message (see active-path.ts).
		 */
		activeLeafId: uuid(),
		/**
		 * The answers of a comparison still shown side by side (siblings, oldest first) until one is
		 * kept; null otherwise. No foreign key, like activeLeafId: ids no longer present are ignored.
		 */
		comparing: uuid().array(),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('chats_user_updated_idx').on(t.userId, t.updatedAt.desc(), t.id),
		index('chats_user_provider_idx').on(t.userId, t.providerId, t.modelId)
	]
);

/** `retryAfterMs`: how long the provider asked us to wait (rate limits), when it said. */
export type MessageError = { code: ProviderErrorCode; message: string; retryAfterMs?: number };

export const messages = pgTable(
	'messages',
	{
		id: uuid().primaryKey().defaultRandom(),
		chatId: uuid()
			.notNull()
			.references(() => chats.id, { onDelete: 'cascade' }),
		role: text({ enum: messageRoles }).notNull(),
		content: text().notNull().default(''),
		status: text({ enum: messageStatuses }).notNull().default('complete'),
		/**
		 * The message this one follows: for an answer, the user message it answers (regenerate and compare
		 * add siblings); for a user message, the answer before it (an edit adds a sibling), null at the root.
		 */
		parentId: uuid().references((): AnyPgColumn => messages.id, { onDelete: 'set null' }),
		providerId: text(),
		modelId: text(),
		finishReason: text({ enum: finishReasons }),
		error: jsonb().$type<MessageError>(),
		inputTokens: integer(),
		outputTokens: integer(),
		/** Of inputTokens, those read from and written to the provider's prompt cache. */
		cacheReadTokens: integer(),
		cacheWriteTokens: integer(),
		/** What this answer cost in USD (all attempts); null when a price is unknown. */
		costUsd: numeric({ precision: 14, scale: 8 }),
		/** True when the token figures were estimated (the provider sent none, e.g. after a stop). */
		usageEstimated: boolean().notNull().default(false),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('messages_chat_created_idx').on(t.chatId, t.createdAt),
		index('messages_status_idx').on(t.status),
		// Deleting a message (and every message of a deleted chat) sets its children's parent to null:
		// without this index each deleted message scanned the whole table (a 50-message chat beside
		// 100,000 other messages took 0.9 s to delete on PGlite, with every other statement waiting).
		index('messages_parent_idx').on(t.parentId)
	]
);
