import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { TRPCClientError } from '@trpc/client';
import { messages, providerUsage } from '$lib/server/db/schema';
import { collectStream, textOf, useChatHarness } from '../../helpers/chat-harness';

/*
 * Postgres text cannot hold U+0000 (NUL). An answer with one must still be saved whole, and a request
 * carrying one is the caller's mistake, refused as such: never a 500, never an answer left `streaming`.
 */
const h = useChatHarness({ generation: { flushIntervalMs: 50 } });

async function newChat() {
	return h.client.chats.create.mutate({ providerId: 'openai', modelId: 'gpt-4.1-mini' });
}

describe('NUL characters', () => {
	it("in a provider's answer are saved as U+FFFD, in the deltas as in the database, with the usage row", async () => {
		h.emulators.openai.script({ chunks: ['a\u0000b', ' c\u0000'], paceMs: 80 });
		const chat = await newChat();
		const sent = await h.client.chats.send.mutate({ chatId: chat.id, content: 'Hello' });
		const events = await collectStream(h.client, sent.assistantMessageId);
		expect(events.at(-1)!.event.type).toBe('done');
		expect(textOf(events)).toBe('a\uFFFDb c\uFFFD');
		const db = h.app.database.db;
		const [answer] = await db.select().from(messages).where(eq(messages.id, sent.assistantMessageId));
		expect(answer).toMatchObject({ status: 'complete', content: 'a\uFFFDb c\uFFFD' });
		const usage = await db.select().from(providerUsage).where(eq(providerUsage.messageId, answer.id));
		expect(usage).toHaveLength(1);
	});

	it("in a provider's error message are not kept: the failed answer and its usage row are saved", async () => {
		h.emulators.openai.script({ status: 400, errorMessage: 'bad\u0000field \u001b[31mred' });
		const chat = await newChat();
		const sent = await h.client.chats.send.mutate({ chatId: chat.id, content: 'Hello' });
		const events = await collectStream(h.client, sent.assistantMessageId);
		const last = events.at(-1)!.event;
		expect(last).toMatchObject({ type: 'error', error: { code: 'invalid_request' } });
		const said = (last as { error: { message: string } }).error.message;
		expect(said).toBe('The provider "openai" refused the request (HTTP 400): bad\uFFFDfield \uFFFD[31mred');
		const db = h.app.database.db;
		const [answer] = await db.select().from(messages).where(eq(messages.id, sent.assistantMessageId));
		expect(answer).toMatchObject({ status: 'error', error: { code: 'invalid_request', message: said } });
		const usage = await db.select().from(providerUsage).where(eq(providerUsage.messageId, answer.id));
		expect(usage).toHaveLength(1);
	});

	it('in what a user sends or sets are refused as a bad request, and nothing is saved', async () => {
		const chat = await newChat();
		const refusals = await Promise.all([
			h.client.chats.send.mutate({ chatId: chat.id, content: 'He\u0000llo' }).catch((e: unknown) => e),
			h.client.chats.update.mutate({ chatId: chat.id, title: 'a\u0000b' }).catch((e: unknown) => e),
			h.client.chats.update.mutate({ chatId: chat.id, systemPrompt: 'a\u0000b' }).catch((e: unknown) => e)
		]);
		for (const refusal of refusals) {
			expect(refusal).toBeInstanceOf(TRPCClientError);
			const error = refusal as TRPCClientError<never>;
			expect(error.data).toMatchObject({ code: 'BAD_REQUEST', httpStatus: 400 });
			expect(error.message).toMatch(/NUL character \(U\+0000\)/);
		}
		expect(h.emulators.openai.requests).toHaveLength(0);
		const stored = await h.client.chats.get.query({ chatId: chat.id });
		expect(stored.messages).toHaveLength(0);
		expect(stored.title).not.toContain('\u0000');
	});
});
