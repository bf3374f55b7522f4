import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { chatListQuery, listChats } from '$lib/server/db/repositories/chat-repository';
import { selectRows } from '$lib/server/db/select-rows';
import { useTestDatabase } from '../../helpers/test-database';

const testDb = useTestDatabase();

const USERS = 20;
const CHATS_PER_USER = 100;
const MESSAGES_PER_CHAT = 10;
const userId = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const searcher = userId(1);

/** Twenty users' chats and messages, with statistics gathered as autovacuum would on a server. */
async function seedTeam() {
	const { db } = testDb.handle;
	await db.execute(
		sql.raw(`insert into users (id, email, password_hash, role)
			select ('00000000-0000-4000-8000-' || lpad(u::text, 12, '0'))::uuid, 'user' || u || '@example.com', 'x', 'member'
			from generate_series(1, ${USERS}) u`)
	);
	await db.execute(
		sql.raw(`insert into chats (user_id, title)
			select ('00000000-0000-4000-8000-' || lpad(u::text, 12, '0'))::uuid, 'Chat ' || c
			from generate_series(1, ${USERS}) u, generate_series(1, ${CHATS_PER_USER}) c`)
	);
	await db.execute(
		sql.raw(`insert into messages (chat_id, role, content)
			select c.id, 'user', repeat('An ordinary question about code and databases. ', 4) || m
			from chats c, generate_series(1, ${MESSAGES_PER_CHAT}) m`)
	);
	await db.execute(sql`update messages set content = 'Where does the zebra sleep?' where id = (
		select m.id from messages m join chats c on c.id = m.chat_id where c.user_id = ${userId(2)} limit 1)`);
	await db.execute(sql`update messages set content = 'How fast is a quokka?' where id = (
		select m.id from messages m join chats c on c.id = m.chat_id where c.user_id = ${searcher} limit 1)`);
	await db.execute(sql`analyze`);
}

type PlanNode = {
	'Relation Name'?: string;
	'Actual Rows': number;
	'Actual Loops': number;
	'Rows Removed by Filter'?: number;
	Plans?: PlanNode[];
};

/** Message rows a statement read, from its executed plan: each node's rows are per loop. */
function messagesRead(node: PlanNode): number {
	const own =
		node['Relation Name'] === 'messages'
			? (node['Actual Rows'] + (node['Rows Removed by Filter'] ?? 0)) * node['Actual Loops']
			: 0;
	return own + (node.Plans ?? []).reduce((total, child) => total + messagesRead(child), 0);
}

/** The statement's text with its parameters written in (EXPLAIN takes no parameters here). */
function inlined(query: { sql: string; params: unknown[] }): string {
	return query.sql.replace(/\$(\d+)/g, (_, n: string) => {
		const value = query.params[Number(n) - 1];
		return typeof value === 'number' ? String(value) : `'${String(value).replaceAll("'", "''")}'`;
	});
}

describe('chat search', () => {
	it("reads only the searcher's own messages, not every user's, and finds only the searcher's chats", async () => {
		await seedTeam();
		const { db } = testDb.handle;

		const query = chatListQuery(db, searcher, { search: 'zebra', limit: 30 }).toSQL();
		const [{ 'QUERY PLAN': plan }] = await selectRows<{ 'QUERY PLAN': [{ Plan: PlanNode }] | string }>(
			testDb.handle.db,
			sql.raw(`explain (analyze, format json) ${inlined(query)}`)
		);
		const root = (typeof plan === 'string' ? JSON.parse(plan) : plan)[0].Plan as PlanNode;
		expect(messagesRead(root)).toBeLessThanOrEqual(CHATS_PER_USER * MESSAGES_PER_CHAT);

		expect(await listChats(db, searcher, { search: 'zebra', limit: 30 })).toEqual([]);
		const found = await listChats(db, searcher, { search: 'QUOKKA', limit: 30 });
		expect(found).toHaveLength(1);
		expect(found[0]!.userId).toBe(searcher);
		expect(await listChats(db, searcher, { search: 'Chat 7', limit: 30 })).toHaveLength(11);
	});
});
