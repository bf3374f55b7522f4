import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { providerUsage } from '$lib/server/db/schema';
import { collectStream, textOf, useChatHarness } from '../../helpers/chat-harness';

const h = useChatHarness();

async function usageRows(messageId: string) {
	return h.app.database.db.select().from(providerUsage).where(eq(providerUsage.messageId, messageId));
}

describe('a chat turn, end to end, with each provider', () => {
	it.each([
		[
			'anthropic',
			'claude-sonnet-4-5',
			'anthropic-text',
			"Hello! I'm doing well, thank you for asking. How are you doing today? Is there anything I can help you with?",
			{ input: 12, output: 30 },
			12 * 3 + 30 * 15
		],
		[
			'anthropic',
			'claude-opus-4-5',
			'anthropic-input-tokens-updated',
			null,
			{ input: 61, output: 2 },
			61 * 5 + 2 * 25
		],
		['openai', 'gpt-4.1-nano', 'openai-text-abridged', null, { input: 16, output: 300 }, 16 * 0.1 + 300 * 0.4]
	] as const)(
		'%s %s replays %s: deltas equal the stored text, usage and cost as reported',
		async (providerId, modelId, fixture, expectedText, tokens, microDollars) => {
			const emulator = providerId === 'anthropic' ? h.emulators.anthropic : h.emulators.openai;
			emulator.script({ fixture });
			const chat = await h.client.chats.create.mutate({ providerId, modelId });
			const sent = await h.client.chats.send.mutate({ chatId: chat.id, content: 'Hello, how are you?' });
			const events = await collectStream(h.client, sent.assistantMessageId);

			expect(events[0].event).toEqual({
				type: 'start',
				messageId: sent.assistantMessageId,
				providerId,
				modelId
			});
			const end = events.at(-1)!.event;
			expect(end).toMatchObject({
				type: 'done',
				finishReason: 'stop',
				usage: {
					inputTokens: tokens.input,
					outputTokens: tokens.output,
					cacheReadTokens: 0,
					cacheWriteTokens: 0,
					estimated: false
				}
			});
			expect(end.type === 'done' && end.usage.costUsd).toBeCloseTo(microDollars / 1_000_000, 10);
			// Ids only grow; deltas a late subscriber was behind on arrive joined under the last one's id.
			const ids = events.map((e) => Number(e.id));
			expect(ids[0]).toBe(1);
			expect(ids.every((id, i) => i === 0 || id > ids[i - 1])).toBe(true);

			const stored = await h.client.chats.get.query({ chatId: chat.id });
			const answer = stored.messages.find((m) => m.id === sent.assistantMessageId)!;
			expect(answer.content).toBe(textOf(events));
			if (expectedText) expect(answer.content).toBe(expectedText);
			expect(answer).toMatchObject({
				status: 'complete',
				providerId,
				modelId,
				finishReason: 'stop',
				inputTokens: tokens.input,
				outputTokens: tokens.output,
				error: null
			});
			expect(answer.costUsd).toBeCloseTo(microDollars / 1_000_000, 10);
			expect(stored.title).toBe('Hello, how are you?');

			const rows = await usageRows(sent.assistantMessageId);
			expect(rows).toHaveLength(1);
			expect(rows[0]).toMatchObject({
				providerId,
				modelId,
				inputTokens: tokens.input,
				outputTokens: tokens.output,
				status: 'ok',
				estimated: false,
				chatId: chat.id,
				userId: h.admin.user.id
			});
			expect(Number(rows[0].costUsd)).toBeCloseTo(microDollars / 1_000_000, 10);
			expect(rows[0].ttftMs).not.toBeNull();
		}
	);

	it('ollama: discovered models, then a streamed answer with its eval counts and no price (cost null, not 0)', async () => {
		const counts = await h.client.models.refresh.mutate({ providerId: 'ollama' });
		expect(counts.added).toBeGreaterThan(0);
		const models = await h.client.models.list.query({ providerId: 'ollama' });
		expect(models[0]).toMatchObject({ providerId: 'ollama', source: 'discovered', inputPricePerMTok: null });
		const modelId = models[0].modelId;
		h.emulators.ollama.script({ chunks: ['Hi', ' there', '!'], usage: { inputTokens: 33, outputTokens: 3 } });

		const chat = await h.client.chats.create.mutate({
			providerId: 'ollama',
			modelId,
			temperature: 0.3,
			maxTokens: 64
		});
		const sent = await h.client.chats.send.mutate({ chatId: chat.id, content: 'Say hi' });
		const events = await collectStream(h.client, sent.assistantMessageId);
		expect(textOf(events)).toBe('Hi there!');
		expect(events.at(-1)!.event).toMatchObject({
			type: 'done',
			usage: { inputTokens: 33, outputTokens: 3, costUsd: null }
		});

		const request = h.emulators.ollama.requests.find((r) => r.path === '/api/chat')!;
		expect(request.body).toMatchObject({
			model: modelId,
			stream: true,
			options: { temperature: 0.3, num_predict: 64 }
		});
		const [row] = await usageRows(sent.assistantMessageId);
		expect(row.costUsd).toBeNull();
	});

	it('switches provider and model mid-chat, passing the whole history to each API in its own shape', async () => {
		const chat = await h.client.chats.create.mutate({
			providerId: 'openai',
			modelId: 'gpt-4.1-mini',
			systemPrompt: 'Be brief.',
			temperature: 0.5,
			maxTokens: 100
		});
		h.emulators.openai.script({ chunks: ['First answer.'] });
		const one = await h.client.chats.send.mutate({ chatId: chat.id, content: 'First question' });
		await collectStream(h.client, one.assistantMessageId);

		h.emulators.anthropic.script({ chunks: ['Second answer.'] });
		const two = await h.client.chats.send.mutate({
			chatId: chat.id,
			content: 'Second question',
			providerId: 'anthropic',
			modelId: 'claude-haiku-4-5'
		});
		const events = await collectStream(h.client, two.assistantMessageId);
		expect(events[0].event).toMatchObject({ providerId: 'anthropic', modelId: 'claude-haiku-4-5' });

		const openaiBody = h.emulators.openai.requests.find((r) => r.path === '/v1/chat/completions')!.body;
		expect(openaiBody).toMatchObject({
			model: 'gpt-4.1-mini',
			stream: true,
			temperature: 0.5,
			max_completion_tokens: 100,
			messages: [
				{ role: 'system', content: 'Be brief.' },
				{ role: 'user', content: 'First question' }
			]
		});
		expect(openaiBody).not.toHaveProperty('max_tokens');

		const anthropicRequest = h.emulators.anthropic.requests.find((r) => r.path === '/v1/messages')!;
		expect(anthropicRequest.headers['authorization'] ?? anthropicRequest.headers['x-api-key']).toContain(
			h.config.ANTHROPIC_API_KEY!
		);
		// A chat marks its stable prefix for Anthropic's prompt cache (system prompt, last user turn).
		const cached = { type: 'ephemeral' };
		expect(anthropicRequest.body).toMatchObject({
			model: 'claude-haiku-4-5',
			system: [{ type: 'text', text: 'Be brief.', cache_control: cached }],
			max_tokens: 100,
			messages: [
				{ role: 'user', content: 'First question' },
				{ role: 'assistant', content: 'First answer.' },
				{ role: 'user', content: [{ type: 'text', text: 'Second question', cache_control: cached }] }
			]
		});

		const stored = await h.client.chats.get.query({ chatId: chat.id });
		expect(stored.messages.map((m) => [m.role, m.providerId, m.modelId])).toEqual([
			['user', null, null],
			['assistant', 'openai', 'gpt-4.1-mini'],
			['user', null, null],
			['assistant', 'anthropic', 'claude-haiku-4-5']
		]);
		expect(stored).toMatchObject({ providerId: 'anthropic', modelId: 'claude-haiku-4-5' });
	});

	it('sends no temperature to a model whose capabilities exclude it', async () => {
		const chat = await h.client.chats.create.mutate({
			providerId: 'openai',
			modelId: 'gpt-5-mini',
			temperature: 0.2
		});
		const sent = await h.client.chats.send.mutate({ chatId: chat.id, content: 'hi' });
		await collectStream(h.client, sent.assistantMessageId);
		const body = h.emulators.openai.requests.find((r) => r.path === '/v1/chat/completions')!.body;
		expect(body).not.toHaveProperty('temperature');
	});

	it('regenerates an answer with another model, keeping both answers', async () => {
		const chat = await h.client.chats.create.mutate({ providerId: 'openai', modelId: 'gpt-4.1-mini' });
		const sent = await h.client.chats.send.mutate({ chatId: chat.id, content: 'Tell me a fact' });
		await collectStream(h.client, sent.assistantMessageId);
		const again = await h.client.chats.regenerate.mutate({
			messageId: sent.assistantMessageId,
			providerId: 'anthropic'
		});
		expect(again.userMessageId).toBe(sent.userMessageId);
		const events = await collectStream(h.client, again.assistantMessageId);
		expect(events[0].event).toMatchObject({ providerId: 'anthropic', modelId: 'claude-sonnet-5-5' });
		const body = h.emulators.anthropic.requests.at(-1)!.body as { messages: unknown[] };
		expect(body.messages).toEqual([
			{
				role: 'user',
				content: [{ type: 'text', text: 'Tell me a fact', cache_control: { type: 'ephemeral' } }]
			}
		]);
		const stored = await h.client.chats.get.query({ chatId: chat.id });
		expect(stored.messages.filter((m) => m.role === 'assistant')).toHaveLength(2);
	});
});
