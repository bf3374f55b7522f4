import { customType, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { attachmentKinds } from '../../../schemas/attachments';
import { users } from './users';
import { messages } from './chats';

/**
 * Raw bytes. postgres.js hands back a Buffer and PGlite a Uint8Array: both become a Buffer here so
 * nothing above the repository cares which driver ran.
 */
const bytea = customType<{ data: Buffer; driverData: Uint8Array }>({
	dataType: () => 'bytea',
	// A view, not a copy: PGlite's array came from the worker thread and is this row's alone.
	fromDriver: (value) =>
		Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength),
	toDriver: (value) => value
});

/**
 * Each distinct file's bytes once, keyed by their SHA-256 (hex). In the database rather than under
 * DATA_DIR so a backup (pg_dump or the PGlite dump) holds them with the rows that point at them.
 */
export const attachmentBlobs = pgTable('attachment_blobs', {
	sha256: text().primaryKey(),
	data: bytea().notNull(),
	byteSize: integer().notNull(),
	createdAt: timestamp({ withTimezone: true }).notNull().defaultNow()
});

/**
 * One user's file: uploaded first (no message yet), then sent with exactly one message. Deleting the
 * chat deletes its messages and so these rows; a blob nothing refers to any more is removed with them.
 */
export const attachments = pgTable(
	'attachments',
	{
		id: uuid().primaryKey().defaultRandom(),
		userId: uuid()
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		messageId: uuid().references(() => messages.id, { onDelete: 'cascade' }),
		sha256: text()
			.notNull()
			.references(() => attachmentBlobs.sha256, { onDelete: 'restrict' }),
		kind: text({ enum: attachmentKinds }).notNull(),
		/** Decided from the bytes (an image format, or text/plain), never from the name. */
		mediaType: text().notNull(),
		name: text().notNull(),
		byteSize: integer().notNull(),
		width: integer(),
		height: integer(),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('attachments_message_idx').on(t.messageId),
		index('attachments_user_created_idx').on(t.userId, t.createdAt),
		index('attachments_sha256_idx').on(t.sha256)
	]
);
