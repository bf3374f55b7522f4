import { and, eq, lt, sql } from 'drizzle-orm';
import type { Executor } from '../client';
import { runShaped, shape, shapeParts, shapeRows } from '../statement-shapes';
import { chats, messages, providerUsage, type MessageError } from '../schema';
import type { NewUsage } from './usage-repository';

export type MessageRow = typeof messages.$inferSelect;
export type NewMessage = typeof messages.$inferInsert;

/** Inserts several messages in one statement (a turn's user and assistant messages). */
export async function insertMessages(db: Executor, values: NewMessage[]): Promise<MessageRow[]> {
	return db.insert(messages).values(values).returning();
}

/** A message the user owns (through its chat), or undefined: other users' ids look like missing ones. */
export async function findOwnedMessage(
	db: Executor,
	userId: string,
	messageId: string
): Promise<MessageRow | undefined> {
	const [row] = await db
		.select({ message: messages })
		.from(messages)
		.innerJoin(chats, eq(chats.id, messages.chatId))
		.where(and(eq(messages.id, messageId), eq(chats.userId, userId)));
	return row?.message;
}

/**
 * Crash safety: the text streamed so far of running answers, written now and then, several answers in
 * one statement (their rows as one JSON parameter). An answer that has ended keeps its final text.
 */
export async function saveStreamingContents(
	db: Executor,
	rows: readonly { messageId: string; content: string }[]
): Promise<void> {
	if (rows.length === 0) return;
	const values = JSON.stringify(rows.map((row) => ({ id: row.messageId, content: row.content })));
	await db.execute(sql`
		update messages set content = v.content, updated_at = now()
		from json_to_recordset(${values}::json) as v(id uuid, content text)
		where messages.id = v.id and messages.status = 'streaming'`);
}

export type MessageFinal = Pick<
	MessageRow,
	| 'content'
	| 'status'
	| 'providerId'
	| 'modelId'
	| 'finishReason'
	| 'error'
	| 'inputTokens'
	| 'outputTokens'
	| 'cacheReadTokens'
	| 'cacheWriteTokens'
	| 'costUsd'
	| 'usageEstimated'
>;

/**
 * An answer's final write and its attempts' usage rows, in one statement (the update in a WITH clause):
 * atomic without a transaction, whose BEGIN and COMMIT would be round trips of their own.
 */
export async function finalizeMessage(
	db: Executor,
	messageId: string,
	final: MessageFinal,
	usage: NewUsage[]
): Promise<void> {
	const shaped = shapeParts({
		where: shape('w_', { messageId }),
		final: shape('f_', { ...final, updatedAt: new Date() }),
		usage: shapeRows('u', usage)
	});
	await runShaped(db, 'finalize_message', shaped, (db, t) => {
		const update = db.update(messages).set(t.final).where(eq(messages.id, t.where.messageId));
		if (t.usage.length === 0) return update;
		const answer = db.$with('final_answer').as(update.returning({ id: messages.id }));
		return db.with(answer).insert(providerUsage).values(t.usage);
	});
}

/**
 * Ends an answer that is still `streaming`, in one statement: the fallback when the full final write
 * failed, and the way to settle an answer no run will finish. False when it had already ended.
 */
export async function settleStreamingMessage(
	db: Executor,
	messageId: string,
	values: Pick<MessageRow, 'status' | 'finishReason' | 'error'> &
		Partial<Pick<MessageRow, 'content' | 'providerId' | 'modelId'>>
): Promise<boolean> {
	const rows = await db
		.update(messages)
		.set({ ...values, updatedAt: new Date() })
		.where(and(eq(messages.id, messageId), eq(messages.status, 'streaming')))
		.returning({ id: messages.id });
	return rows.length > 0;
}

/**
 * Start-up recovery: answers left `streaming` by a crash or restart become errors that keep their
 * text, so nothing waits forever on a generation that no process runs any more.
 */
export async function failStreamingMessages(db: Executor, error: MessageError): Promise<number> {
	const rows = await db
		.update(messages)
		.set({ status: 'error', error, finishReason: 'aborted', updatedAt: sql`now()` })
		.where(eq(messages.status, 'streaming'))
		.returning({ id: messages.id });
	return rows.length;
}

/** Answers still `streaming` that were created before `before`: candidates for the lease sweeper. */
export async function listStreamingMessages(
	db: Executor,
	before: Date
): Promise<Pick<MessageRow, 'id' | 'content'>[]> {
	return db
		.select({ id: messages.id, content: messages.content })
		.from(messages)
		.where(and(eq(messages.status, 'streaming'), lt(messages.createdAt, before)));
}
