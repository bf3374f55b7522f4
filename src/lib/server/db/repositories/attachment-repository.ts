import { and, asc, eq, inArray, isNull, lt, notExists, sql } from 'drizzle-orm';
import type { Executor } from '../client';
import { attachmentBlobs, attachments, chats, messages } from '../schema';
import { batches } from './batches';

export type AttachmentRow = typeof attachments.$inferSelect;
export type NewAttachment = Omit<typeof attachments.$inferInsert, 'sha256' | 'byteSize'>;
export type AttachmentWithData = AttachmentRow & { data: Buffer };

/** Stores the bytes once per content hash (a second upload of the same file adds only its row). */
export async function insertAttachment(
	db: Executor,
	values: NewAttachment,
	blob: { sha256: string; data: Buffer }
): Promise<AttachmentRow> {
	return db.transaction(async (tx) => {
		await tx
			.insert(attachmentBlobs)
			.values({ sha256: blob.sha256, data: blob.data, byteSize: blob.data.byteLength })
			.onConflictDoNothing();
		const [row] = await tx
			.insert(attachments)
			.values({ ...values, sha256: blob.sha256, byteSize: blob.data.byteLength })
			.returning();
		return row;
	});
}

/** The attachment with its bytes, when `userId` owns it (or the reader is an admin: `userId` null). */
export async function findAttachmentWithData(
	db: Executor,
	attachmentId: string,
	userId: string | null
): Promise<AttachmentWithData | undefined> {
	const [row] = await db
		.select({ attachment: attachments, data: attachmentBlobs.data })
		.from(attachments)
		.innerJoin(attachmentBlobs, eq(attachmentBlobs.sha256, attachments.sha256))
		.where(and(eq(attachments.id, attachmentId), userId ? eq(attachments.userId, userId) : undefined));
	return row ? { ...row.attachment, data: row.data } : undefined;
}

/** Of `ids`, the user's uploads not yet sent with any message, with their bytes, in the order asked. */
export async function findUnsentAttachments(
	db: Executor,
	userId: string,
	ids: readonly string[]
): Promise<AttachmentWithData[]> {
	if (ids.length === 0) return [];
	const rows = await db
		.select({ attachment: attachments, data: attachmentBlobs.data })
		.from(attachments)
		.innerJoin(attachmentBlobs, eq(attachmentBlobs.sha256, attachments.sha256))
		.where(
			and(inArray(attachments.id, [...ids]), eq(attachments.userId, userId), isNull(attachments.messageId))
		);
	const byId = new Map(rows.map((r) => [r.attachment.id, { ...r.attachment, data: r.data }]));
	return ids.flatMap((id) => byId.get(id) ?? []);
}

/** Ties uploads to the message they were sent with; only the user's unsent ones move. */
export async function linkAttachments(
	db: Executor,
	userId: string,
	messageId: string,
	ids: readonly string[]
): Promise<number> {
	if (ids.length === 0) return 0;
	const rows = await db
		.update(attachments)
		.set({ messageId })
		.where(
			and(inArray(attachments.id, [...ids]), eq(attachments.userId, userId), isNull(attachments.messageId))
		)
		.returning({ id: attachments.id });
	return rows.length;
}

/**
 * What a prompt needs of these messages' attachments (kind, type, name and bytes, not the rest of
 * the row), oldest first (the order they were added).
 */
export async function listPromptAttachments(db: Executor, messageIds: readonly string[]) {
	if (messageIds.length === 0) return [];
	return db
		.select({
			messageId: attachments.messageId,
			kind: attachments.kind,
			mediaType: attachments.mediaType,
			name: attachments.name,
			data: attachmentBlobs.data
		})
		.from(attachments)
		.innerJoin(attachmentBlobs, eq(attachmentBlobs.sha256, attachments.sha256))
		.where(inArray(attachments.messageId, [...messageIds]))
		.orderBy(asc(attachments.createdAt), asc(attachments.id));
}

/**
 * The attachments of one chat of the user's (or all their chats), with their bytes, oldest first:
 * one query, however many messages, for an export.
 */
export async function listChatAttachmentsWithData(
	db: Executor,
	userId: string,
	chatId?: string
): Promise<AttachmentWithData[]> {
	const rows = await db
		.select({ attachment: attachments, data: attachmentBlobs.data })
		.from(attachments)
		.innerJoin(attachmentBlobs, eq(attachmentBlobs.sha256, attachments.sha256))
		.innerJoin(messages, eq(messages.id, attachments.messageId))
		.innerJoin(chats, eq(chats.id, messages.chatId))
		.where(ofChats(userId, chatId))
		.orderBy(asc(attachments.createdAt), asc(attachments.id));
	return rows.map((r) => ({ ...r.attachment, data: r.data }));
}

/** The same attachments without their bytes (a Markdown export names them only). */
export async function listChatAttachments(db: Executor, userId: string, chatId?: string) {
	const rows = await db
		.select({ attachment: attachments })
		.from(attachments)
		.innerJoin(messages, eq(messages.id, attachments.messageId))
		.innerJoin(chats, eq(chats.id, messages.chatId))
		.where(ofChats(userId, chatId))
		.orderBy(asc(attachments.createdAt), asc(attachments.id));
	return rows.map((r) => r.attachment);
}

function ofChats(userId: string, chatId?: string) {
	return and(eq(chats.userId, userId), chatId ? eq(chats.id, chatId) : undefined);
}

/** Rows per statement for imports (bytes included, so fewer than for messages). */
const IMPORT_BATCH = 50;

/**
 * Imported attachments, already checked and tied to their new messages: each distinct file's bytes
 * once (kept if already stored), then the rows. The caller runs it in the import's transaction.
 */
export async function insertImportedAttachments(
	db: Executor,
	rows: { values: NewAttachment & { messageId: string }; blob: { sha256: string; data: Buffer } }[]
): Promise<void> {
	const blobs = [...new Map(rows.map((r) => [r.blob.sha256, r.blob])).values()];
	for (const batch of batches(blobs, IMPORT_BATCH)) {
		await db
			.insert(attachmentBlobs)
			.values(batch.map((b) => ({ sha256: b.sha256, data: b.data, byteSize: b.data.byteLength })))
			.onConflictDoNothing();
	}
	for (const batch of batches(rows, IMPORT_BATCH)) {
		await db
			.insert(attachments)
			.values(batch.map((r) => ({ ...r.values, sha256: r.blob.sha256, byteSize: r.blob.data.byteLength })));
	}
}

/** Uploads never sent before `before` (a closed tab, a removed thumbnail): nothing will refer to them. */
export async function deleteUnsentAttachments(db: Executor, userId: string, before: Date): Promise<void> {
	await db
		.delete(attachments)
		.where(
			and(eq(attachments.userId, userId), isNull(attachments.messageId), lt(attachments.createdAt, before))
		);
}

/** Bytes no attachment refers to any more (after a chat, a message or an old upload went). */
export async function deleteOrphanBlobs(db: Executor): Promise<number> {
	const rows = await db
		.delete(attachmentBlobs)
		.where(
			notExists(
				db
					.select({ one: sql`1` })
					.from(attachments)
					.where(eq(attachments.sha256, attachmentBlobs.sha256))
			)
		)
		.returning({ sha256: attachmentBlobs.sha256 });
	return rows.length;
}
