import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { messages, providerUsage } from '$lib/server/db/schema';
import { collectStream } from '../../helpers/chat-harness';
import { useCompatHarness } from '../compat/compat-harness';

/*
 * Cached tokens from both vendors, on the wire from the emulators through the real SDKs, priced by the
 * seed catalog's published cache prices:
 *   claude-haiku-4-5: input $1, output $5, cache read $0.10, cache write $1.25 per million tokens;
 *   gpt-4.1-mini:     input $0.40, output $1.60, cached input $0.10 per million tokens.
 */
const h = useCompatHarness();

const anthropicCache = { inputTokens: 20, outputTokens: 100, cacheReadTokens: 1800, cacheWriteTokens: 300 };
// 20 x $1 + 1,800 x $0.10 + 300 x $1.25 + 100 x $5 = $1,075 per million requests' worth: $0.001075.
const anthropicCost = 0.001075;
const openaiCache = { inputTokens: 2006, outputTokens: 300, cacheReadTokens: 1920 };
// (2,006 - 1,920) x $0.40 + 1,920 x $0.10 + 300 x $1.60 = $706.4 per million: $0.0007064.
const openaiCost = 0.0007064;

async function answer(providerId: string, modelId: string, systemPrompt?: string) {
	const chat = await h.client.chats.create.mutate({ providerId, modelId, systemPrompt });
	const first = await h.client.chats.send.mutate({ chatId: chat.id, content: 'first question' });
	// The second turn's history holds the first answer only once that answer is saved.
	await collectStream(h.client, first.assistantMessageId);
	const sent = await h.client.chats.send.mutate({ chatId: chat.id, content: 'second question' });
	const events = await collectStream(h.client, sent.assistantMessageId);
	const done = events.at(-1)!.event;
	const db = h.app.database.db;
	const [message] = await db.select().from(messages).where(eq(messages.id, sent.assistantMessageId));
	const rows = await db
		.select()
		.from(providerUsage)
		.where(eq(providerUsage.messageId, sent.assistantMessageId));
	return { chat, done, message, rows };
}

const lastChatBody = (requests: { path: string; body: unknown }[], path: string) =>
	requests.filter((r) => r.path === path).at(-1)!.body as Record<string, unknown>;

describe('cached tokens in chats', () => {
	it("Anthropic: cache reads and writes reach done.usage, the usage row and the message, priced at Anthropic's rates", async () => {
		// The first answer's figures are plain; the second is the cache hit under test.
		h.emulators.anthropic.script({ usage: { inputTokens: 30, outputTokens: 5 } }, { usage: anthropicCache });
		const { done, message, rows } = await answer('anthropic', 'claude-haiku-4-5', 'Be brief.');
		const figures = { inputTokens: 2120, outputTokens: 100, cacheReadTokens: 1800, cacheWriteTokens: 300 };
		expect(done).toEqual({
			type: 'done',
			finishReason: 'stop',
			usage: { ...figures, costUsd: anthropicCost, estimated: false }
		});
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({ ...figures, costUsd: '0.00107500', status: 'ok' });
		expect(message).toMatchObject({ ...figures, costUsd: '0.00107500' });
	});

	it('Anthropic: the chat request carries cache_control on the system prompt and the conversation so far', async () => {
		await answer('anthropic', 'claude-haiku-4-5', 'Be brief.');
		const body = lastChatBody(h.emulators.anthropic.requests, '/v1/messages');
		const ephemeral = { type: 'ephemeral' };
		expect(body.system).toEqual([{ type: 'text', text: 'Be brief.', cache_control: ephemeral }]);
		const turns = body.messages as { role: string; content: unknown }[];
		expect(turns.at(-1)).toEqual({
			role: 'user',
			content: [{ type: 'text', text: 'second question', cache_control: ephemeral }]
		});
		expect(JSON.stringify(turns.slice(0, -1))).not.toContain('cache_control');
	});

	it("Anthropic: none when an admin turns the model's prompt caching off", async () => {
		const model = await h.client.models.update.mutate({
			providerId: 'anthropic',
			modelId: 'claude-haiku-4-5',
			promptCaching: false
		});
		expect(model.promptCaching).toBe(false);
		await answer('anthropic', 'claude-haiku-4-5', 'Be brief.');
		const body = lastChatBody(h.emulators.anthropic.requests, '/v1/messages');
		expect(body.system).toBe('Be brief.');
		expect(JSON.stringify(body)).not.toContain('cache_control');
	});

	it("OpenAI: cached tokens inside prompt_tokens are priced at the model's cached-input price", async () => {
		h.emulators.openai.script({ usage: { inputTokens: 30, outputTokens: 5 } }, { usage: openaiCache });
		const { done, message, rows } = await answer('openai', 'gpt-4.1-mini');
		const figures = { inputTokens: 2006, outputTokens: 300, cacheReadTokens: 1920, cacheWriteTokens: 0 };
		expect(done).toMatchObject({
			type: 'done',
			usage: { ...figures, costUsd: openaiCost, estimated: false }
		});
		expect(rows[0]).toMatchObject({ ...figures, costUsd: '0.00070640' });
		expect(message).toMatchObject({ ...figures, costUsd: '0.00070640' });
		// OpenAI caches on its own: nothing is marked in what was sent.
		expect(JSON.stringify(lastChatBody(h.emulators.openai.requests, '/v1/chat/completions'))).not.toContain(
			'cache_control'
		);
	});

	it('an edited cache price prices the next call, and the usage summaries carry the cache figures', async () => {
		await h.client.models.update.mutate({
			providerId: 'openai',
			modelId: 'gpt-4.1-mini',
			prices: { inputPerMTok: 0.4, outputPerMTok: 1.6, cacheReadPerMTok: 0.2 }
		});
		h.emulators.openai.script({ usage: { inputTokens: 30, outputTokens: 5 } }, { usage: openaiCache });
		const { chat, done } = await answer('openai', 'gpt-4.1-mini');
		// 86 x $0.40 + 1,920 x $0.20 + 300 x $1.60 = $898.4 per million.
		expect(done).toMatchObject({ usage: { costUsd: 0.0008984 } });
		const [byModel] = await h.client.usage.summary.query({ groupBy: 'model' });
		expect(byModel).toMatchObject({
			key: 'openai/gpt-4.1-mini',
			requests: 2,
			cacheReadTokens: 1920,
			cacheWriteTokens: 0
		});
		const rows = await h.client.usage.byChat.query({ chatId: chat.id });
		expect(rows.map((r) => r.cacheReadTokens)).toEqual([1920, 0]);
	});
});

describe('cached tokens through the compatible APIs', () => {
	it("/v1/messages reports Anthropic's cache figures apart from input_tokens", async () => {
		const client = await h.anthropic();
		h.emulators.anthropic.script({ usage: anthropicCache });
		const message = await client.messages.create({
			model: 'anthropic/claude-haiku-4-5',
			max_tokens: 50,
			messages: [{ role: 'user', content: 'hi' }]
		});
		expect(message.usage).toMatchObject({
			input_tokens: 20,
			cache_read_input_tokens: 1800,
			cache_creation_input_tokens: 300,
			output_tokens: 100
		});
		const [row] = await h.app.database.db.select().from(providerUsage);
		expect(row).toMatchObject({ source: 'anthropic-api', cacheReadTokens: 1800, costUsd: '0.00107500' });
	});

	it('/v1/chat/completions reports prompt_tokens_details.cached_tokens, streamed and whole', async () => {
		const client = await h.openai();
		h.emulators.openai.script({ usage: openaiCache }, { usage: openaiCache });
		const completion = await client.chat.completions.create({
			model: 'openai/gpt-4.1-mini',
			messages: [{ role: 'user', content: 'hi' }]
		});
		expect(completion.usage).toMatchObject({
			prompt_tokens: 2006,
			prompt_tokens_details: { cached_tokens: 1920 }
		});
		const stream = await client.chat.completions.create({
			model: 'openai/gpt-4.1-mini',
			messages: [{ role: 'user', content: 'hi' }],
			stream: true,
			stream_options: { include_usage: true }
		});
		let usage: unknown;
		for await (const chunk of stream) usage = chunk.usage ?? usage;
		expect(usage).toMatchObject({ prompt_tokens: 2006, prompt_tokens_details: { cached_tokens: 1920 } });
	});
});
