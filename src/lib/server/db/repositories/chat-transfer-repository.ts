import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../client';
import { chats, messages, providerConfigs } from '../schema';
import { selectRows } from '../select-rows';
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

/** What an export of these chats would hold, counted in the database (nothing is loaded). */
export type ExportSize = {
	chats: number;
	messages: number;
	largestChat: number;
	/** The messages' text and the chats' titles and system prompts, in UTF-8 bytes. */
	textBytes: number;
	files: number;
	/** The attachments' bytes, before base64. */
	fileBytes: number;
};

export async function exportSize(db: Executor, userId: string, chatId?: string): Promise<ExportSize> {
	const chosen = chatId ? sql`user_id = ${userId} and id = ${chatId}` : sql`user_id = ${userId}`;
	const [size] = await selectRows<ExportSize>(
		db,
		sql`with picked as (
				select id, octet_length(title) + coalesce(octet_length(system_prompt), 0) as bytes
				from chats where ${chosen}
			),
			per_chat as (
				select count(*) as n, sum(octet_length(content)) as bytes
				from messages where chat_id in (select id from picked) group by chat_id
			)
			select (select count(*) from picked)::int as chats,
				coalesce((select sum(n) from per_chat), 0)::int as messages,
				coalesce((select max(n) from per_chat), 0)::int as "largestChat",
				(coalesce((select sum(bytes) from per_chat), 0) + coalesce((select sum(bytes) from picked), 0))::float8
					as "textBytes",
				files.n::int as files, files.bytes::float8 as "fileBytes"
			from (select count(*) as n, coalesce(sum(a.byte_size), 0) as bytes from attachments a
				join messages m on m.id = a.message_id where m.chat_id in (select id from picked)) files`
	);
	return size;
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
