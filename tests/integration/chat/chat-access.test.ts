import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { App } from '$lib/server/app';
import { chats, messages } from '$lib/server/db/schema';
import { LeaseSweeper, recoverInterruptedGenerations } from '$lib/server/services/recovery-service';
import { plainCaller } from '$lib/server/auth/caller';
import { errorOf } from '../../helpers/auth-client';
import { collectStream, useChatHarness, type Client } from '../../helpers/chat-harness';
import { countQueries } from '../../helpers/test-database';

const h = useChatHarness({
	generation: { maxConcurrentPerUser: 2, requestsPerMinute: 8, watcherAuthCheckMs: 50 }
});

async function subscribeError(client: Client, messageId: string, lastEventId?: string) {
	try {
		await collectStream(client, messageId, { lastEventId });
	} catch (error) {
		return (error as { data?: { code?: string } }).data?.code;
	}
	return 'no error';
}

/**
 * What recovers answers a crash left `streaming`: boot recovery for one process; with Redis (several
 * processes) the lease sweeper, once an answer's lease has been missing for a lease's life (0 here).
 */
async function recoverAfterCrash(app: App): Promise<number> {
	if (app.cluster.mode === 'single') return recoverInterruptedGenerations(app.database.db, app.cluster);
	const sweeper = new LeaseSweeper(app.database.db, app.cluster, 0);
	// Both passes a second ahead: an answer inserted in the pass's own millisecond (the database keeps
	// microseconds, Date.now() whole milliseconds) is not yet "older than now", and a first pass that
	// missed it left the second to start its wait instead of failing it.
	const later = Date.now() + 1_000;
	await sweeper.sweep(later);
	return sweeper.sweep(later);
}

describe('ownership', () => {
	it("answers NOT_FOUND for every procedure on another user's chat and messages", async () => {
		h.emulators.openai.script({ chunks: Array(40).fill('x '), paceMs: 20 });
		const chat = await h.client.chats.create.mutate({ providerId: 'openai', modelId: 'gpt-4.1-mini' });
		const sent = await h.client.chats.send.mutate({ chatId: chat.id, content: 'secret plans' });
		const { client: other } = await h.member();

		const calls: [string, () => Promise<unknown>][] = [
			['get', () => other.chats.get.query({ chatId: chat.id })],
			['update', () => other.chats.update.mutate({ chatId: chat.id, title: 'mine now' })],
			['delete', () => other.chats.delete.mutate({ chatId: chat.id })],
			['send', () => other.chats.send.mutate({ chatId: chat.id, content: 'hi' })],
			['stop', () => other.chats.stop.mutate({ messageId: sent.assistantMessageId })],
			['regenerate', () => other.chats.regenerate.mutate({ messageId: sent.assistantMessageId })],
			['usage', () => other.usage.byChat.query({ chatId: chat.id })]
		];
		for (const [name, call] of calls) {
			expect([name, (await errorOf(call())).code]).toEqual([name, 'NOT_FOUND']);
		}
		expect(await subscribeError(other, sent.assistantMessageId)).toBe('NOT_FOUND');
		expect(await subscribeError(other, sent.assistantMessageId, '3')).toBe('NOT_FOUND');
		expect(await subscribeError(other, sent.userMessageId)).toBe('NOT_FOUND');
		expect((await other.chats.list.query({})).items).toEqual([]);

		// The owner's answer was neither stopped nor changed by any of that.
		const events = await collectStream(h.client, sent.assistantMessageId);
		expect(events.at(-1)!.event).toMatchObject({ type: 'done', finishReason: 'stop' });
		const stored = await h.client.chats.get.query({ chatId: chat.id });
		expect(stored.title).toBe('secret plans');
		expect(stored.messages).toHaveLength(2);
	});

	it('signing out ends an open subscription with UNAUTHORIZED; the answer itself is still saved', async () => {
		h.emulators.openai.script({ chunks: Array(30).fill('y '), paceMs: 20 });
		const { client, user } = await h.member();
		const chat = await client.chats.create.mutate({ providerId: 'openai', modelId: 'gpt-4.1-mini' });
		const sent = await client.chats.send.mutate({ chatId: chat.id, content: 'long answer please' });
		// Settled at once into a value, so the rejection is never unhandled while we sign out.
		const watching = collectStream(client, sent.assistantMessageId).then(
			() => 'completed',
			(error: unknown) => error
		);
		await new Promise((r) => setTimeout(r, 100));
		await client.auth.signOut.mutate();
		expect(await watching).toMatchObject({ data: { code: 'UNAUTHORIZED' } });
		await h.app.generations.outcome(sent.assistantMessageId);
		const stored = await h.app.chats.get(user.user.id, chat.id);
		expect(stored.messages[1]).toMatchObject({ status: 'complete', content: 'y '.repeat(30) });
	});

	it('members cannot change providers or models', async () => {
		const { client: member } = await h.member();
		expect(
			(
				await errorOf(
					member.providers.update.mutate({ providerId: 'openai', apiKey: 'sk-evil-key-12345678' })
				)
			).code
		).toBe('FORBIDDEN');
		expect(
			(
				await errorOf(
					member.models.update.mutate({ providerId: 'openai', modelId: 'gpt-4.1', enabled: false })
				)
			).code
		).toBe('FORBIDDEN');
		expect((await errorOf(member.models.refresh.mutate({ providerId: 'openai' }))).code).toBe('FORBIDDEN');
		expect((await errorOf(member.providers.test.mutate({ providerId: 'openai' }))).code).toBe('FORBIDDEN');
		expect(await member.providers.list.query()).toHaveLength(3);
	});
});

describe('validation before any provider call', () => {
	it('an unknown provider or model is a typed error and creates no message', async () => {
		const chat = await h.client.chats.create.mutate({});
		const unknownProvider = await errorOf(
			h.client.chats.send.mutate({ chatId: chat.id, content: 'hi', providerId: 'nope' })
		);
		expect(unknownProvider).toMatchObject({ code: 'BAD_REQUEST', status: 400 });
		expect(unknownProvider.message).toContain('Unknown provider "nope"');
		const unknownModel = await errorOf(
			h.client.chats.send.mutate({
				chatId: chat.id,
				content: 'hi',
				providerId: 'openai',
				modelId: 'gpt-4.1-mino'
			})
		);
		expect(unknownModel.code).toBe('BAD_REQUEST');
		expect(unknownModel.message).toMatch(/gpt-4\.1-mini/);
		const rows = await h.app.database.db.select().from(messages).where(eq(messages.chatId, chat.id));
		expect(rows).toHaveLength(0);
		expect(h.emulators.openai.requests).toHaveLength(0);
	});

	it('refuses content over 256 KB and malformed input with field errors', async () => {
		const chat = await h.client.chats.create.mutate({});
		const tooBig = await errorOf(
			h.client.chats.send.mutate({ chatId: chat.id, content: 'x'.repeat(256 * 1024 + 1) })
		);
		expect(tooBig.code).toBe('BAD_REQUEST');
		const empty = await errorOf(h.client.chats.send.mutate({ chatId: chat.id, content: '   ' }));
		expect(empty.code).toBe('BAD_REQUEST');
		const badTemp = await errorOf(h.client.chats.update.mutate({ chatId: chat.id, temperature: 7 }));
		expect(badTemp.code).toBe('BAD_REQUEST');
		const response = await fetch(`${h.url}/api/trpc/chats.send`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', cookie: h.admin.cookie, origin: h.url },
			body: ''
		});
		expect(response.status).toBe(400);
		const body = (await response.json()) as { error: { json: { data: { code: string } } } };
		expect(body.error.json.data.code).toBe('BAD_REQUEST');
		expect(h.emulators.openai.requests).toHaveLength(0);
		expect(h.emulators.anthropic.requests).toHaveLength(0);
	});

	it('returns zod field errors flattened, and says them in words for any client', async () => {
		const response = await fetch(`${h.url}/api/trpc/chats.create`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', cookie: h.admin.cookie, origin: h.url },
			body: JSON.stringify({ json: { temperature: 'hot' } })
		});
		const body = (await response.json()) as {
			error: { json: { message: string; data: { zodError: { fieldErrors: Record<string, string[]> } } } };
		};
		expect(response.status).toBe(400);
		expect(Object.keys(body.error.json.data.zodError.fieldErrors)).toEqual(['temperature']);
		// Not zod's issues as JSON (tRPC's own message): a curl user reads the field and the reason.
		expect(body.error.json.message).toMatch(/^temperature: /);
		expect(body.error.json.message).not.toContain('{');
	});
});

describe('limits', () => {
	it('caps concurrent generations per user with TOO_MANY_REQUESTS', async () => {
		h.emulators.openai.script({ chunks: Array(50).fill('x '), paceMs: 20, times: 3 });
		const chat = await h.client.chats.create.mutate({ providerId: 'openai', modelId: 'gpt-4.1-mini' });
		const a = await h.client.chats.send.mutate({ chatId: chat.id, content: 'one' });
		await h.client.chats.send.mutate({ chatId: chat.id, content: 'two' });
		const refused = await errorOf(h.client.chats.send.mutate({ chatId: chat.id, content: 'three' }));
		expect(refused.code).toBe('TOO_MANY_REQUESTS');
		expect(refused.retryAfterMs).toBeGreaterThan(0);
		const { client: other } = await h.member();
		const otherChat = await other.chats.create.mutate({ providerId: 'openai', modelId: 'gpt-4.1-mini' });
		await other.chats.send.mutate({ chatId: otherChat.id, content: 'unaffected' });
		await h.client.chats.stop.mutate({ messageId: a.assistantMessageId });
		await h.client.chats.send.mutate({ chatId: chat.id, content: 'three, later' });
		const stored = await h.client.chats.get.query({ chatId: chat.id });
		expect(stored.messages.filter((m) => m.role === 'user').map((m) => m.content)).toEqual([
			'one',
			'two',
			'three, later'
		]);
	});

	it('caps requests per minute', async () => {
		const chat = await h.client.chats.create.mutate({ providerId: 'openai', modelId: 'gpt-4.1-mini' });
		for (let i = 0; i < 8; i++) {
			const sent = await h.client.chats.send.mutate({ chatId: chat.id, content: `m${i}` });
			await collectStream(h.client, sent.assistantMessageId);
		}
		const refused = await errorOf(h.client.chats.send.mutate({ chatId: chat.id, content: 'one too many' }));
		expect(refused.code).toBe('TOO_MANY_REQUESTS');
		expect(refused.message).toMatch(/Try again in \d+ s/);
	});
});

describe('defaults, statement count and recovery', () => {
	it('creates and sends without provider or model, using the default provider and its default model', async () => {
		const chat = await h.client.chats.create.mutate({});
		expect(chat).toMatchObject({ providerId: 'anthropic', modelId: 'claude-sonnet-5-5' });
		const bare = await h.client.chats.create.mutate({ title: 'Bare' });
		await h.app.database.db
			.update(chats)
			.set({ providerId: null, modelId: null })
			.where(eq(chats.id, bare.id));
		const sent = await h.client.chats.send.mutate({ chatId: bare.id, content: 'hello' });
		const events = await collectStream(h.client, sent.assistantMessageId);
		expect(events[0].event).toMatchObject({ providerId: 'anthropic', modelId: 'claude-sonnet-5-5' });
		expect(events.at(-1)!.event.type).toBe('done');
		const stored = await h.client.chats.get.query({ chatId: bare.id });
		expect(stored.title).toBe('Bare');
	});

	it('a normal turn costs at most 5 SQL statements', async () => {
		const chat = await h.client.chats.create.mutate({ providerId: 'openai', modelId: 'gpt-4.1-mini' });
		await h.app.providers.candidates({ providerId: 'openai', modelId: 'gpt-4.1-mini' }, { grant: null });
		let messageId = '';
		const statements = await countQueries(async () => {
			const sent = await h.app.chats.send(plainCaller(h.admin.user), {
				chatId: chat.id,
				content: 'count me'
			});
			messageId = sent.assistantMessageId;
			await h.app.generations.outcome(messageId);
		});
		expect(messageId).not.toBe('');
		expect(statements).toBeLessThanOrEqual(5);
	});

	it('after a crash, answers left streaming become errors with code aborted and keep their text', async () => {
		const chat = await h.client.chats.create.mutate({ providerId: 'openai', modelId: 'gpt-4.1-mini' });
		const [row] = await h.app.database.db
			.insert(messages)
			.values({
				chatId: chat.id,
				role: 'assistant',
				status: 'streaming',
				content: 'half an ans',
				providerId: 'openai',
				modelId: 'gpt-4.1-mini'
			})
			.returning();
		expect(await recoverAfterCrash(h.app)).toBe(1);
		const stored = await h.client.chats.get.query({ chatId: chat.id });
		expect(stored.messages[0]).toMatchObject({
			id: row.id,
			status: 'error',
			content: 'half an ans',
			error: { code: 'aborted' }
		});
		const replay = await collectStream(h.client, row.id);
		expect(replay.map((e) => e.event.type)).toEqual(['start', 'delta', 'error']);
		expect(await recoverAfterCrash(h.app)).toBe(0);
	});
});
