import { desc, eq, inArray, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { insertTurn } from '$lib/server/db/repositories/chat-repository';
import { finalizeMessage, type MessageFinal } from '$lib/server/db/repositories/message-repository';
import { insertUser } from '$lib/server/db/repositories/user-repository';
import { messages } from '$lib/server/db/schema';
import { runShaped, shape } from '$lib/server/db/statement-shapes';
import { useTestDatabase } from '../../helpers/test-database';

const testDb = useTestDatabase();

async function newUser(email: string) {
	const user = await insertUser(testDb.handle.db, { email, passwordHash: 'x' });
	return user!.id;
}

const final = (content: string, error: MessageFinal['error']): MessageFinal => ({
	content,
	status: error ? 'error' : 'complete',
	providerId: 'openai',
	modelId: 'gpt-4.1-mini',
	finishReason: error ? null : 'stop',
	error,
	inputTokens: error ? null : 3,
	outputTokens: error ? null : 2,
	cacheReadTokens: null,
	cacheWriteTokens: null,
	costUsd: error ? null : '0.00000100',
	usageEstimated: false
});

describe('statements prepared once per shape', () => {
	it('composes a shape once and fills in each call’s own values', async () => {
		const { db } = testDb.handle;
		let composed = 0;
		const select = (values: { id: string }) =>
			runShaped(db, 'shapes_test', shape('', values), (db, t) => {
				composed++;
				return db.select({ id: messages.id }).from(messages).where(eq(messages.id, t.id));
			});
		const userId = await newUser('shapes@test.dev');
		const chatId = crypto.randomUUID();
		const [question] = await insertTurn(db, { insert: { id: chatId, userId } }, [
			{ chatId, role: 'user', content: 'q' }
		]);
		expect(await select({ id: crypto.randomUUID() })).toEqual([]);
		expect(await select({ id: question.id })).toEqual([{ id: question.id }]);
		expect(composed).toBe(1);
	});

	it('writes each turn’s own values, and SQL NULL where a value is null', async () => {
		const { db } = testDb.handle;
		const userId = await newUser('turns@test.dev');
		const chatId = crypto.randomUUID();
		const turn = (content: string) => [
			{ id: crypto.randomUUID(), chatId, role: 'user' as const, content },
			{
				id: crypto.randomUUID(),
				chatId,
				role: 'assistant' as const,
				content: '',
				status: 'streaming' as const
			}
		];
		const first = await insertTurn(db, { insert: { id: chatId, userId, title: 'shapes' } }, turn('first'));
		const second = await insertTurn(db, { update: { userId, chatId, patch: {} } }, turn('second'));
		const third = await insertTurn(db, { update: { userId, chatId, patch: {} } }, turn('third'));
		expect([first, second, third].map((rows) => rows.map((r) => r.content))).toEqual([
			['first', ''],
			['second', ''],
			['third', '']
		]);

		await finalizeMessage(db, second[1].id, final('ok', null), []);
		await finalizeMessage(db, third[1].id, final('', { code: 'timeout', message: 'slow' }), []);
		const read = await db
			.select({
				content: messages.content,
				errorIsNull: sql<boolean>`${messages.error} is null`,
				error: messages.error,
				cost: messages.costUsd
			})
			.from(messages)
			.where(inArray(messages.id, [second[1].id, third[1].id]))
			.orderBy(desc(messages.content));
		expect(read).toEqual([
			{ content: 'ok', errorIsNull: true, error: null, cost: '0.00000100' },
			{ content: '', errorIsNull: false, error: { code: 'timeout', message: 'slow' }, cost: null }
		]);
	});

	it('runs inside a transaction too', async () => {
		const { db } = testDb.handle;
		const userId = await newUser('tx@test.dev');
		const chatId = crypto.randomUUID();
		const rows = await db.transaction((tx) =>
			insertTurn(tx, { insert: { id: chatId, userId } }, [
				{ chatId, role: 'user', content: 'in a transaction' }
			])
		);
		expect(rows.map((r) => r.content)).toEqual(['in a transaction']);
	});
});
