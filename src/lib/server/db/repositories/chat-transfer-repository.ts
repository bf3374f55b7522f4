import { and, asc, desc, eq } from 'drizzle-orm';
import type { Executor } from '../client';
import { chats, messages, providerConfigs } from '../schema';
import { batches } from './batches';
import type { NewChat } from './chat-repository';
import type { NewMessage } from './message-repository';

/** One chat of the user's, or all of them (newest first), each with every message, for an export. */
export async function findChatsForExport(db: Executor, userId: string, chatId?: string) {
	return db.query.chats.findMany({
		where: chatId ? and(eq(chats.userId, userId), eq(chats.id, chatId)) : eq(chats.userId, userId),
		orderBy: [desc(chats.updatedAt), desc(chats.id)],
		with: { messages: { orderBy: [asc(messages.createdAt), asc(messages.id)] } }
	});
}

export async function providerIds(db: Executor): Promise<Set<string>> {
	const rows = await db.select({ id: providerConfigs.id }).from(providerConfigs);
	return new Set(rows.map((r) => r.id));
}

/** Rows per statement (see batches). */
const BATCH = 500;

/**
 * Writes imported chats and their messages (parents before children, so every parent exists when
 * its children arrive). The caller runs it in a transaction: an import is all or nothing.
 */
export async function insertImportedChats(
	db: Executor,
	rows: { chat: NewChat & { userId: string }; messages: NewMessage[] }[]
): Promise<void> {
	for (const batch of batches(rows, BATCH)) await db.insert(chats).values(batch.map((r) => r.chat));
	const all = rows.flatMap((r) => r.messages);
	for (const batch of batches(all, BATCH)) await db.insert(messages).values(batch);
}
