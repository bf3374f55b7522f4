import { and, asc, desc, eq, ilike, lt, or, sql, type SQL } from 'drizzle-orm';
import type { ChatCursor } from '$lib/schemas/chats';
import type { Db, Executor } from '../client';
import { runShaped, shape, shapeParts, shapeRows } from '../statement-shapes';
import { attachments, chats, messages } from '../schema';
import type { MessageRow, NewMessage } from './message-repository';

export type ChatRow = typeof chats.$inferSelect;
export type NewChat = typeof chats.$inferInsert;
export type ChatPatch = Partial<
	Pick<
		ChatRow,
		| 'title'
		| 'titleLocked'
		| 'providerId'
		| 'modelId'
		| 'systemPrompt'
		| 'temperature'
		| 'maxTokens'
		| 'topP'
		| 'stopSequences'
		| 'seed'
		| 'activeLeafId'
		| 'comparing'
	>
>;

export async function insertChat(db: Executor, values: NewChat & { userId: string }): Promise<ChatRow> {
	const [row] = await db.insert(chats).values(values).returning();
	return row;
}

export async function findChat(db: Executor, userId: string, chatId: string): Promise<ChatRow | undefined> {
	const [row] = await db
		.select()
		.from(chats)
		.where(and(eq(chats.id, chatId), eq(chats.userId, userId)));
	return row;
}

const ownChat = and(eq(chats.id, sql.placeholder('chatId')), eq(chats.userId, sql.placeholder('userId')));
const messageOrder = [asc(messages.createdAt), asc(messages.id)];
const attachmentOrder = [asc(attachments.createdAt), asc(attachments.id)];

/** A statement composed once per database: Drizzle spent about a millisecond composing one on every send. */
function oncePerDatabase<Q>(build: (db: Db) => Q): (db: Db) => Q {
	const built = new WeakMap<Db, Q>();
	return (db) => {
		let query = built.get(db);
		if (!query) built.set(db, (query = build(db)));
		return query;
	};
}

const chatWithMessagesQuery = oncePerDatabase((db) =>
	db.query.chats
		.findFirst({
			where: ownChat,
			with: { messages: { orderBy: messageOrder, with: { attachments: { orderBy: attachmentOrder } } } }
		})
		.prepare('chat_with_messages')
);

/** The chat with its messages, oldest first, in one statement. */
export async function findChatWithMessages(db: Db, userId: string, chatId: string) {
	return chatWithMessagesQuery(db).execute({ chatId, userId });
}

/**
 * What starting an answer reads of its chat's messages, before the provider is called: the tree,
 * the text, and which messages carry files (their bytes are read apart, for the branch sent). Less
 * to build, send and parse per message than the whole rows: a chat of 50 messages 1.19-1.24 → 0.93-0.95
 * ms on PGlite, 0.76 → 0.59 ms on Postgres (this read still grows with the chat).
 */
const chatForTurnQuery = oncePerDatabase((db) =>
	db.query.chats
		.findFirst({
			where: ownChat,
			with: {
				messages: {
					columns: { id: true, parentId: true, role: true, content: true, status: true, createdAt: true },
					orderBy: messageOrder,
					with: { attachments: { columns: { id: true }, orderBy: attachmentOrder } }
				}
			}
		})
		.prepare('chat_for_turn')
);

export async function findChatForTurn(db: Db, userId: string, chatId: string) {
	return chatForTurnQuery(db).execute({ chatId, userId });
}

export async function updateChat(
	db: Executor,
	userId: string,
	chatId: string,
	patch: ChatPatch & { updatedAt?: Date }
): Promise<ChatRow | undefined> {
	const [row] = await db
		.update(chats)
		.set({ ...patch, updatedAt: patch.updatedAt ?? new Date() })
		.where(and(eq(chats.id, chatId), eq(chats.userId, userId)))
		.returning();
	return row;
}

/** How a turn writes its chat: a new one inserted whole, or an existing one of the user's patched. */
export type TurnChat =
	{ insert: NewChat & { userId: string } } | { update: { userId: string; chatId: string; patch: ChatPatch } };

/**
 * A turn's rows in one statement: the chat's insert or update in a WITH clause, and its new messages.
 * One statement is atomic by itself, so no transaction (BEGIN and COMMIT are round trips of their own);
 * the messages' foreign key holds against a chat inserted in the same statement.
 */
export async function insertTurn(db: Executor, chat: TurnChat, rows: NewMessage[]): Promise<MessageRow[]> {
	if ('insert' in chat) {
		const shaped = shapeParts({ chat: shape('c_', chat.insert), rows: shapeRows('m', rows) });
		return runShaped(db, 'turn_new_chat', shaped, (db, t) => {
			const chatWrite = db.$with('turn_chat').as(db.insert(chats).values(t.chat).returning({ id: chats.id }));
			return db.with(chatWrite).insert(messages).values(t.rows).returning();
		});
	}
	const { userId, chatId, patch } = chat.update;
	const shaped = shapeParts({
		where: shape('w_', { chatId, userId }),
		patch: shape('c_', { ...patch, updatedAt: new Date() }),
		rows: shapeRows('m', rows)
	});
	return runShaped(db, 'turn', shaped, (db, t) => {
		const chatWrite = db.$with('turn_chat').as(
			db
				.update(chats)
				.set(t.patch)
				.where(and(eq(chats.id, t.where.chatId), eq(chats.userId, t.where.userId)))
				.returning({ id: chats.id })
		);
		return db.with(chatWrite).insert(messages).values(t.rows).returning();
	});
}

export async function deleteChat(db: Executor, userId: string, chatId: string): Promise<boolean> {
	const rows = await db
		.delete(chats)
		.where(and(eq(chats.id, chatId), eq(chats.userId, userId)))
		.returning({ id: chats.id });
	return rows.length > 0;
}

/** Escapes LIKE wildcards so a search for "50%" finds that text, not everything. */
function likePattern(text: string): string {
	return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

type ChatListOptions = {
	providerId?: string;
	modelId?: string;
	search?: string;
	cursor?: ChatCursor;
	limit: number;
};

export async function listChats(db: Executor, userId: string, options: ChatListOptions): Promise<ChatRow[]> {
	return chatListQuery(db, userId, options);
}

/** The statement `listChats` runs, unexecuted: its plan is tested (`chat-search-scope.test.ts`). */
export function chatListQuery(db: Executor, userId: string, options: ChatListOptions) {
	const filters: (SQL | undefined)[] = [eq(chats.userId, userId)];
	if (options.providerId) filters.push(eq(chats.providerId, options.providerId));
	if (options.modelId) filters.push(eq(chats.modelId, options.modelId));
	if (options.search) {
		const pattern = likePattern(options.search);
		filters.push(
			or(
				ilike(chats.title, pattern),
				// `offset 0` keeps this a lookup per chat of the user's (on messages' chat_id index). Without
				// it Postgres may hash the subquery: one scan of every user's messages per search, which it
				// prices as cheap because it does not count the length of the text an ilike reads (20 users,
				// 100,000 messages, analyzed: 0.74-0.83 s a search on Postgres against 42-47 ms this way).
				sql`exists (select 1 from ${messages} where ${messages.chatId} = ${chats.id} and ${messages.content} ilike ${pattern} offset 0)`
			)
		);
	}
	if (options.cursor) {
		const { updatedAt, id } = options.cursor;
		filters.push(or(lt(chats.updatedAt, updatedAt), and(eq(chats.updatedAt, updatedAt), lt(chats.id, id))));
	}
	return db
		.select()
		.from(chats)
		.where(and(...filters))
		.orderBy(desc(chats.updatedAt), desc(chats.id))
		.limit(options.limit);
}

/** A generated title, unless the person named the chat meanwhile; the chat keeps its place in the list. */
export async function setGeneratedTitle(
	db: Executor,
	userId: string,
	chatId: string,
	title: string
): Promise<boolean> {
	const rows = await db
		.update(chats)
		.set({ title })
		.where(and(eq(chats.id, chatId), eq(chats.userId, userId), eq(chats.titleLocked, false)))
		.returning({ id: chats.id });
	return rows.length > 0;
}
