import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sql } from 'drizzle-orm';
import { describeError } from '$lib/server/log';
import { useChatHarness } from '../../helpers/chat-harness';

const h = useChatHarness();

type Refusal = { data?: { code?: string; httpStatus?: number; zodError?: { fieldErrors: object } | null } };

describe('chats.list cursor', () => {
	afterEach(() => {
		vi.restoreAllMocks();
	});

	it('refuses a malformed cursor with 400 naming the field, and logs none of it', async () => {
		const stderr = vi.spyOn(process.stderr, 'write');
		const secret = 'typed-by-the-user';
		const now = new Date().toISOString();
		for (const cursor of [
			`${now}_${secret}`,
			`not-a-date_${randomUUID()}`,
			`${now}_${randomUUID()}_${secret}`,
			secret
		]) {
			const refusal = (await h.client.chats.list.query({ cursor }).catch((e: unknown) => e)) as Refusal;
			expect(refusal.data).toMatchObject({ code: 'BAD_REQUEST', httpStatus: 400 });
			expect(Object.keys(refusal.data?.zodError?.fieldErrors ?? {})).toEqual(['cursor']);
		}
		const logged = stderr.mock.calls.map(([chunk]) => String(chunk)).join('');
		expect(logged).not.toContain(secret);
	});

	it('still pages with the cursors it hands out', async () => {
		for (let i = 0; i < 3; i++) await h.client.chats.create.mutate({ title: `Chat ${i}` });
		const first = await h.client.chats.list.query({ limit: 2 });
		const second = await h.client.chats.list.query({ limit: 2, cursor: first.nextCursor });
		expect([...first.items, ...second.items].map((c) => c.title)).toEqual(['Chat 2', 'Chat 1', 'Chat 0']);
	});

	it('a database error is logged by name and SQLSTATE, never with the values sent', async () => {
		const secret = 'typed-by-the-user';
		const caught = await h.app.database.db.execute(sql`select ${secret}::uuid`).catch((e: unknown) => e);
		const text = describeError(caught);
		expect(text).toContain('SQLSTATE 22P02');
		expect(text).not.toContain(secret);
	});
});
