import { describe, expect, it } from 'vitest';
import { isNull } from 'drizzle-orm';
import { providerUsage } from '$lib/server/db/schema';
import { errorOf } from '../../helpers/auth-client';
import { collectStream, textOf, useChatHarness } from '../../helpers/chat-harness';

const h = useChatHarness();

describe('completions', () => {
	it('create answers statelessly and records usage with no chat', async () => {
		h.emulators.openai.script({ chunks: ['4'], usage: { inputTokens: 20, outputTokens: 1 } });
		const result = await h.client.completions.create.mutate({
			providerId: 'openai',
			modelId: 'gpt-4o-mini',
			system: 'Answer with a number.',
			messages: [{ role: 'user', content: '2+2?' }],
			temperature: 0,
			maxTokens: 5
		});
		expect(result).toMatchObject({
			text: '4',
			providerId: 'openai',
			modelId: 'gpt-4o-mini',
			finishReason: 'stop',
			usage: { inputTokens: 20, outputTokens: 1 }
		});
		expect(result.usage.costUsd).toBeCloseTo((20 * 0.15 + 1 * 0.6) / 1e6, 12);
		const rows = await h.app.database.db.select().from(providerUsage).where(isNull(providerUsage.chatId));
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({ messageId: null, userId: h.admin.user.id, status: 'ok' });
	});

	it('start + stream carries the prompt in the mutation and streams the same events', async () => {
		h.emulators.anthropic.script({ chunks: ['Stream', 'ed.'] });
		const { generationId } = await h.client.completions.start.mutate({
			providerId: 'anthropic',
			messages: [{ role: 'user', content: 'a private prompt' }]
		});
		const events = await collectStream(h.client, generationId, { completion: true });
		const types = events.map((e) => e.event.type);
		expect([types[0], types.at(-1)]).toEqual(['start', 'done']);
		expect(new Set(types.slice(1, -1))).toEqual(new Set(['delta']));
		expect(textOf(events)).toBe('Streamed.');
		const { client: other } = await h.member();
		await expect(collectStream(other, generationId, { completion: true })).rejects.toMatchObject({
			data: { code: 'NOT_FOUND' }
		});
	});

	it('a provider failure is typed with its ProviderErrorCode', async () => {
		h.emulators.openai.script({ status: 429, errorType: 'insufficient_quota', times: 2 });
		const failure = await errorOf(
			h.client.completions.create.mutate({
				providerId: 'openai',
				messages: [{ role: 'user', content: 'hi' }]
			})
		);
		expect(failure.code).toBe('TOO_MANY_REQUESTS');
		const raw = await h.client.completions.create
			.mutate({ providerId: 'openai', messages: [{ role: 'user', content: 'hi' }] })
			.catch((e: { data: unknown }) => e.data);
		expect(raw).toMatchObject({
			code: 'TOO_MANY_REQUESTS',
			provider: { code: 'rate_limited', provider: 'openai', retryable: false }
		});
		// Not retryable: no fallback to another provider, one call each.
		expect(h.emulators.anthropic.requests).toHaveLength(0);
		expect(h.emulators.openai.requests).toHaveLength(2);
	});
});

describe('usage', () => {
	it('summarises by provider, model, day and user; members see only their own', async () => {
		h.emulators.openai.script({ chunks: ['a'], usage: { inputTokens: 1_000_000, outputTokens: 0 } });
		await h.client.completions.create.mutate({
			providerId: 'openai',
			modelId: 'gpt-4.1',
			messages: [{ role: 'user', content: 'x' }]
		});
		const { client: member, user } = await h.member();
		h.emulators.anthropic.script({ chunks: ['b'], usage: { inputTokens: 0, outputTokens: 1_000_000 } });
		await member.completions.create.mutate({
			providerId: 'anthropic',
			modelId: 'claude-haiku-4-5',
			messages: [{ role: 'user', content: 'y' }]
		});

		const byProvider = await h.client.usage.summary.query({ groupBy: 'provider' });
		expect(byProvider).toEqual([
			expect.objectContaining({
				key: 'anthropic',
				requests: 1,
				outputTokens: 1_000_000,
				costUsd: 5,
				errors: 0
			}),
			expect.objectContaining({ key: 'openai', requests: 1, inputTokens: 1_000_000, costUsd: 2, errors: 0 })
		]);
		const byModel = await h.client.usage.summary.query({ groupBy: 'model' });
		expect(byModel.map((r) => r.key)).toEqual(['anthropic/claude-haiku-4-5', 'openai/gpt-4.1']);
		const byDay = await h.client.usage.summary.query({ groupBy: 'day' });
		expect(byDay).toEqual([
			expect.objectContaining({ key: new Date().toISOString().slice(0, 10), requests: 2, costUsd: 7 })
		]);
		const byUser = await h.client.usage.summary.query({ groupBy: 'user' });
		expect(byUser.map((r) => r.key).sort()).toEqual([h.admin.email, user.email].sort());
		const oneUser = await h.client.usage.summary.query({ groupBy: 'provider', userId: user.user.id });
		expect(oneUser.map((r) => r.key)).toEqual(['anthropic']);

		const mine = await member.usage.summary.query({ groupBy: 'provider' });
		expect(mine.map((r) => r.key)).toEqual(['anthropic']);
		expect((await errorOf(member.usage.summary.query({ groupBy: 'user' }))).code).toBe('FORBIDDEN');
		expect(
			(await errorOf(member.usage.summary.query({ groupBy: 'provider', userId: h.admin.user.id }))).code
		).toBe('FORBIDDEN');
		const future = await h.client.usage.summary.query({
			groupBy: 'provider',
			from: new Date(Date.now() + 86_400_000)
		});
		expect(future).toEqual([]);
	});

	it('byChat lists each request of a chat, failed ones included', async () => {
		h.emulators.anthropic.script({ status: 529, errorType: 'overloaded_error' });
		const chat = await h.client.chats.create.mutate({
			providerId: 'anthropic',
			modelId: 'claude-sonnet-4-5'
		});
		const sent = await h.client.chats.send.mutate({ chatId: chat.id, content: 'hi' });
		await collectStream(h.client, sent.assistantMessageId);
		const rows = await h.client.usage.byChat.query({ chatId: chat.id });
		expect(rows.map((r) => [r.providerId, r.status, r.errorCode]).sort()).toEqual([
			['anthropic', 'error', 'overloaded'],
			['openai', 'ok', null]
		]);
		expect(rows[0]).toHaveProperty('latencyMs');
		expect(rows[0]).toHaveProperty('ttftMs');
	});
});

describe('chat list', () => {
	it('pages newest first and searches titles and message text', async () => {
		const ids: string[] = [];
		for (let i = 0; i < 5; i++) ids.push((await h.client.chats.create.mutate({ title: `Chat ${i}` })).id);
		const first = await h.client.chats.list.query({ limit: 2 });
		expect(first.items.map((c) => c.title)).toEqual(['Chat 4', 'Chat 3']);
		const second = await h.client.chats.list.query({ limit: 2, cursor: first.nextCursor });
		expect(second.items.map((c) => c.title)).toEqual(['Chat 2', 'Chat 1']);
		const third = await h.client.chats.list.query({ limit: 2, cursor: second.nextCursor });
		expect(third.items.map((c) => c.title)).toEqual(['Chat 0']);
		expect(third.nextCursor).toBeNull();

		const sent = await h.client.chats.send.mutate({ chatId: ids[1], content: 'the 50% discount question' });
		await collectStream(h.client, sent.assistantMessageId);
		expect((await h.client.chats.list.query({ search: '50%' })).items.map((c) => c.id)).toEqual([ids[1]]);
		expect((await h.client.chats.list.query({ search: 'chat 3' })).items.map((c) => c.id)).toEqual([ids[3]]);
		expect((await h.client.chats.list.query({ providerId: 'openai' })).items).toEqual([]);
		await h.client.chats.delete.mutate({ chatId: ids[1] });
		expect((await h.client.chats.list.query({})).items).toHaveLength(4);
	});
});
