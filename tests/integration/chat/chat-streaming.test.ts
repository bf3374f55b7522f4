import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { messages, providerUsage } from '$lib/server/db/schema';
import { collectStream, textOf, useChatHarness } from '../../helpers/chat-harness';
import { waitFor } from '../../helpers/wait-for';

const h = useChatHarness();

const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i} `);

async function newChat(providerId = 'anthropic', modelId = 'claude-sonnet-4-5') {
	return h.client.chats.create.mutate({ providerId, modelId });
}

describe('fallback and faults', () => {
	it('falls back to the next provider when the first is overloaded before any token', async () => {
		h.emulators.anthropic.script({ status: 529, errorType: 'overloaded_error' });
		h.emulators.openai.script({ chunks: ['Answered ', 'by OpenAI.'] });
		const chat = await newChat();
		const sent = await h.client.chats.send.mutate({ chatId: chat.id, content: 'Hello' });
		const events = await collectStream(h.client, sent.assistantMessageId);
		expect(events.map((e) => e.event.type)).toEqual(['start', 'fallback', 'delta', 'delta', 'done']);
		expect(events[1].event).toEqual({
			type: 'fallback',
			from: { providerId: 'anthropic', modelId: 'claude-sonnet-4-5' },
			to: { providerId: 'openai', modelId: 'gpt-4.1-mini' },
			reason: 'overloaded'
		});
		const [message] = await h.app.database.db
			.select()
			.from(messages)
			.where(eq(messages.id, sent.assistantMessageId));
		expect(message).toMatchObject({
			status: 'complete',
			providerId: 'openai',
			modelId: 'gpt-4.1-mini',
			content: 'Answered by OpenAI.'
		});
		const rows = await h.app.database.db
			.select()
			.from(providerUsage)
			.where(eq(providerUsage.messageId, sent.assistantMessageId));
		expect(rows.map((r) => [r.providerId, r.status, r.errorCode]).sort()).toEqual([
			['anthropic', 'error', 'overloaded'],
			['openai', 'ok', null]
		]);
	});

	it('does not fall back on a non-retryable failure: the error is typed and stored', async () => {
		h.emulators.anthropic.script({ status: 401, errorType: 'authentication_error' });
		const chat = await newChat();
		const sent = await h.client.chats.send.mutate({ chatId: chat.id, content: 'Hello' });
		const events = await collectStream(h.client, sent.assistantMessageId);
		expect(events.map((e) => e.event.type)).toEqual(['start', 'error']);
		const end = events[1].event;
		expect(end).toMatchObject({
			type: 'error',
			error: { code: 'auth', retryable: false, providerId: 'anthropic' }
		});
		expect(JSON.stringify(end)).not.toContain(h.config.ANTHROPIC_API_KEY);
		const stored = await h.client.chats.get.query({ chatId: chat.id });
		expect(stored.messages[1]).toMatchObject({ status: 'error', error: { code: 'auth' }, content: '' });
		expect(h.emulators.openai.requests).toHaveLength(0);
	});

	it('a rate limit with nowhere to fall back says how long to wait, live and when replayed', async () => {
		await h.client.providers.update.mutate({ providerId: 'anthropic', enabled: false });
		await h.client.providers.update.mutate({ providerId: 'ollama', enabled: false });
		h.emulators.openai.script({
			status: 429,
			errorType: 'rate_limit_exceeded',
			headers: { 'retry-after': '7' }
		});
		const chat = await newChat('openai', 'gpt-4.1-mini');
		const sent = await h.client.chats.send.mutate({ chatId: chat.id, content: 'Hello' });
		const events = await collectStream(h.client, sent.assistantMessageId);
		expect(events.at(-1)!.event).toMatchObject({
			type: 'error',
			error: { code: 'rate_limited', retryable: true, retryAfterMs: 7_000 }
		});
		const stored = await h.client.chats.get.query({ chatId: chat.id });
		expect(stored.messages[1].error).toEqual({
			code: 'rate_limited',
			message: expect.any(String),
			retryAfterMs: 7_000
		});
		const replay = await collectStream(h.client, sent.assistantMessageId);
		expect(replay.at(-1)!.event).toMatchObject({ type: 'error', error: { retryAfterMs: 7_000 } });
	});

	it('keeps the partial answer with status error when the stream fails after some deltas', async () => {
		h.emulators.anthropic.script({ chunks: words(6), errorAfter: 3, errorType: 'overloaded_error' });
		const chat = await newChat();
		const sent = await h.client.chats.send.mutate({ chatId: chat.id, content: 'Hello' });
		const events = await collectStream(h.client, sent.assistantMessageId);
		expect(textOf(events)).toBe('w0 w1 w2 ');
		expect(events.at(-1)!.event).toMatchObject({ type: 'error', error: { code: 'overloaded' } });
		const stored = await h.client.chats.get.query({ chatId: chat.id });
		expect(stored.messages[1]).toMatchObject({
			status: 'error',
			content: 'w0 w1 w2 ',
			error: { code: 'overloaded' }
		});
		expect(h.emulators.openai.requests).toHaveLength(0);
	});
});

describe('stop, resume and late subscribers', () => {
	it('stop closes the upstream connection and keeps what streamed as stopped, with estimated usage', async () => {
		h.emulators.anthropic.script({ chunks: words(200), paceMs: 15 });
		const chat = await newChat();
		const sent = await h.client.chats.send.mutate({ chatId: chat.id, content: 'Write a lot' });
		const first = await collectStream(h.client, sent.assistantMessageId, { take: 4 });
		expect(first.map((e) => e.event.type)).toEqual(['start', 'delta', 'delta', 'delta']);
		expect(await h.client.chats.stop.mutate({ messageId: sent.assistantMessageId })).toEqual({
			stopped: true
		});

		await waitFor(() => h.emulators.anthropic.requests[0]?.clientClosed === true);
		const stored = await h.client.chats.get.query({ chatId: chat.id });
		const answer = stored.messages[1];
		expect(answer.status).toBe('stopped');
		expect(answer.finishReason).toBe('aborted');
		expect(answer.content.startsWith('w0 w1 w2 ')).toBe(true);
		expect(answer.content.length).toBeLessThan(words(200).join('').length);
		expect(answer.usageEstimated).toBe(true);
		expect(answer.outputTokens).toBeGreaterThan(0);

		const replay = await collectStream(h.client, sent.assistantMessageId);
		expect(textOf(replay)).toBe(answer.content);
		expect(replay.at(-1)!.event).toMatchObject({
			type: 'done',
			finishReason: 'aborted',
			usage: { estimated: true }
		});
		const [row] = await h.app.database.db
			.select()
			.from(providerUsage)
			.where(eq(providerUsage.messageId, sent.assistantMessageId));
		expect(row).toMatchObject({ status: 'stopped', estimated: true });
	});

	it('a returning subscriber with lastEventId gets exactly what it missed: no duplicate, no gap', async () => {
		h.emulators.anthropic.script({ chunks: words(30), paceMs: 10 });
		const chat = await newChat();
		const sent = await h.client.chats.send.mutate({ chatId: chat.id, content: 'Count' });
		const before = await collectStream(h.client, sent.assistantMessageId, { take: 6 });
		const after = await collectStream(h.client, sent.assistantMessageId, { lastEventId: before.at(-1)!.id });
		// Ids only grow (what the returning subscriber was behind on may come joined under one id),
		// and the texts add up to the answer exactly once: no duplicate, no gap.
		const ids = [...before, ...after].map((e) => Number(e.id));
		expect(ids.every((id, i) => i === 0 || id > ids[i - 1])).toBe(true);
		expect(textOf([...before, ...after])).toBe(words(30).join(''));
		const stored = await h.client.chats.get.query({ chatId: chat.id });
		expect(stored.messages[1].content).toBe(words(30).join(''));
	});

	it('the generation goes on when the watcher leaves, and a late subscriber gets the whole answer', async () => {
		h.emulators.openai.script({ chunks: words(10), paceMs: 5 });
		const chat = await newChat('openai', 'gpt-4.1-mini');
		const sent = await h.client.chats.send.mutate({ chatId: chat.id, content: 'Go' });
		await collectStream(h.client, sent.assistantMessageId, { take: 2 });
		await waitFor(() => !h.app.generations.isRunning(sent.assistantMessageId));
		const late = await collectStream(h.client, sent.assistantMessageId);
		expect(textOf(late)).toBe(words(10).join(''));
		expect(late.at(-1)!.event.type).toBe('done');
	});

	it('replays a finished answer from the database once its log is gone', async () => {
		const chat = await newChat('openai', 'gpt-4.1-mini');
		const sent = await h.client.chats.send.mutate({ chatId: chat.id, content: 'Hi' });
		const live = await collectStream(h.client, sent.assistantMessageId);
		// Simulate another instance (or a dropped log): only the stored message is left.
		await waitFor(() => !h.app.generations.isRunning(sent.assistantMessageId));
		(h.app.generations.logs as unknown as { logs: Map<string, unknown> }).logs.clear();
		if (h.config.REDIS_URL) {
			// With Redis the log is shared: another instance would read it there, so drop that copy too.
			const redis = new Redis(h.config.REDIS_URL);
			await redis.del(`${h.config.REDIS_PREFIX}gen:${sent.assistantMessageId}`);
			await redis.quit();
		}
		const replay = await collectStream(h.client, sent.assistantMessageId);
		expect(replay.map((e) => e.event.type)).toEqual(['start', 'delta', 'done']);
		expect(textOf(replay)).toBe(textOf(live));
		expect(replay.at(-1)!.event).toEqual(live.at(-1)!.event);
	});

	it('a stalled stream times out with the partial kept', async () => {
		h.emulators.openai.script({ chunks: words(5), stallAfter: 2 });
		const chat = await newChat('openai', 'gpt-4.1-mini');
		const sent = await h.client.chats.send.mutate({ chatId: chat.id, content: 'Go' });
		const events = await collectStream(h.client, sent.assistantMessageId);
		expect(textOf(events)).toBe('w0 w1 ');
		expect(events.at(-1)!.event).toMatchObject({ type: 'error', error: { code: 'timeout' } });
	}, 20_000);
});
