import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { useCompatHarness } from './compat-harness';

/*
 * The Anthropic-compatible door as Claude Code and scripts use it: the official `@anthropic-ai/sdk`
 * pointed at Switchboard (ANTHROPIC_BASE_URL) with a Switchboard API token as its key.
 */
const h = useCompatHarness();

async function usageRows() {
	const rows = await h.app.database.db.query.providerUsage.findMany();
	return rows.map((r) => ({ providerId: r.providerId, status: r.status, source: r.source }));
}

describe('POST /v1/messages', () => {
	it('answers with the message shape, the system prompt and sampling passed on (x-api-key)', async () => {
		const client = await h.anthropic();
		h.emulators.anthropic.script({ chunks: ['Hi ', 'there'], usage: { inputTokens: 12, outputTokens: 2 } });
		// SDK 1.x types leave out top_p (newer models reject it); the API takes it, as the SDK sends the body.
		// A model whose data says it takes sampling parameters: Claude 5.x refuses them, so they are dropped.
		const params: Anthropic.MessageCreateParamsNonStreaming & { top_p: number } = {
			model: 'anthropic/claude-sonnet-4-6',
			system: [{ type: 'text', text: 'Be brief' }],
			messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }],
			max_tokens: 50,
			top_p: 0.7,
			stop_sequences: ['STOP']
		};
		const message = await client.messages.create(params);
		expect(message).toMatchObject({
			type: 'message',
			role: 'assistant',
			model: 'anthropic/claude-sonnet-4-6',
			content: [{ type: 'text', text: 'Hi there' }],
			stop_reason: 'end_turn',
			usage: { input_tokens: 12, output_tokens: 2 }
		});
		const sent = h.emulators.anthropic.requests.find((r) => r.path === '/v1/messages')!.body;
		expect(sent).toMatchObject({
			model: 'claude-sonnet-4-6',
			system: 'Be brief',
			max_tokens: 50,
			top_p: 0.7,
			stop_sequences: ['STOP']
		});
		expect(await usageRows()).toEqual([{ providerId: 'anthropic', status: 'ok', source: 'anthropic-api' }]);
	});

	it('reaches OpenAI and Ollama with a bearer token, max_tokens reported as such', async () => {
		const client = await h.anthropic({ authToken: await h.token() });
		h.emulators.openai.script({
			chunks: ['cut'],
			finishReason: 'length',
			usage: { inputTokens: 3, outputTokens: 1 }
		});
		const gpt = await client.messages.create({
			model: 'gpt-4.1-mini',
			messages: [{ role: 'user', content: 'Hi' }],
			max_tokens: 1
		});
		expect(gpt).toMatchObject({ model: 'openai/gpt-4.1-mini', stop_reason: 'max_tokens' });

		await h.client.models.refresh.mutate({ providerId: 'ollama' });
		const [ollamaModel] = await h.client.models.list.query({ providerId: 'ollama' });
		h.emulators.ollama.script({ chunks: ['Local'] });
		const local = await client.messages.create({
			model: `ollama/${ollamaModel.modelId}`,
			messages: [{ role: 'user', content: 'Hi' }],
			max_tokens: 10
		});
		expect(local.content).toEqual([{ type: 'text', text: 'Local' }]);
	});

	it('streams the full event sequence, usage in message_delta', async () => {
		const client = await h.anthropic();
		h.emulators.openai.script({ chunks: ['x', 'y'], usage: { inputTokens: 6, outputTokens: 2 } });
		const stream = await client.messages.create({
			model: 'openai/gpt-4.1-mini',
			messages: [{ role: 'user', content: 'Hi' }],
			max_tokens: 10,
			stream: true
		});
		const events: Anthropic.RawMessageStreamEvent[] = [];
		for await (const event of stream) events.push(event);
		expect(events.map((e) => e.type)).toEqual([
			'message_start',
			'content_block_start',
			'content_block_delta',
			'content_block_delta',
			'content_block_stop',
			'message_delta',
			'message_stop'
		]);
		expect(events[0]).toMatchObject({ message: { model: 'openai/gpt-4.1-mini', role: 'assistant' } });
		expect(events[5]).toMatchObject({
			delta: { stop_reason: 'end_turn' },
			usage: { input_tokens: 6, output_tokens: 2 }
		});
	});

	it("works with the SDK's messages.stream() and finalMessage()", async () => {
		const client = await h.anthropic();
		h.emulators.anthropic.script({ chunks: ['Fine', '.'], usage: { inputTokens: 8, outputTokens: 2 } });
		const stream = client.messages.stream({
			model: 'claude-sonnet-5-5',
			messages: [{ role: 'user', content: 'How are you?' }],
			max_tokens: 10
		});
		const final = await stream.finalMessage();
		expect(final.content).toMatchObject([{ type: 'text', text: 'Fine.' }]);
		expect(final.usage).toMatchObject({ input_tokens: 8, output_tokens: 2 });
		expect(final.stop_reason).toBe('end_turn');
	});

	it('sends an error event when the provider fails after the first token', async () => {
		const client = await h.anthropic();
		h.emulators.anthropic.script({ chunks: ['a', 'b', 'c'], errorAfter: 1 });
		const stream = client.messages.stream({
			model: 'claude-sonnet-5-5',
			messages: [{ role: 'user', content: 'Hi' }],
			max_tokens: 10
		});
		const failure = await stream.finalMessage().catch((error: unknown) => error);
		// The SDK throws the `error` event's body as its own APIError.
		expect(failure).toBeInstanceOf(Anthropic.APIError);
		expect((failure as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
			type: 'error',
			error: { type: expect.any(String), message: expect.any(String) }
		});
		expect(await usageRows()).toEqual([
			{ providerId: 'anthropic', status: 'error', source: 'anthropic-api' }
		]);
	});

	it('stops the provider call on an SDK abort and records the call as stopped', async () => {
		const client = await h.anthropic();
		h.emulators.anthropic.script({ chunks: ['a', 'b', 'c', 'd'], stallAfter: 1 });
		const stream = client.messages.stream({
			model: 'claude-sonnet-5-5',
			messages: [{ role: 'user', content: 'Hi' }],
			max_tokens: 10
		});
		stream.on('text', () => stream.abort());
		await stream.done().catch(() => undefined);
		await expect
			.poll(usageRows)
			.toEqual([{ providerId: 'anthropic', status: 'stopped', source: 'anthropic-api' }]);
	});

	it('counts tokens by estimate, marked so', async () => {
		const client = await h.anthropic();
		const { data, response } = await client.messages
			.countTokens({ model: 'claude-sonnet-5-5', messages: [{ role: 'user', content: 'Count these words' }] })
			.withResponse();
		expect(data.input_tokens).toBeGreaterThan(0);
		expect(response.headers.get('x-switchboard-estimated')).toBe('true');
	});
});

describe('usage', () => {
	it('the usage summary by source adds up to what the SDKs reported, per door', async () => {
		const anthropic = await h.anthropic();
		const openai = await h.openai();
		h.emulators.anthropic.script({ chunks: ['a'], usage: { inputTokens: 10, outputTokens: 4 } });
		const message = await anthropic.messages.create({
			model: 'claude-sonnet-5-5',
			messages: [{ role: 'user', content: 'Hi' }],
			max_tokens: 10
		});
		h.emulators.openai.script({ chunks: ['b'], usage: { inputTokens: 7, outputTokens: 3 } });
		const stream = openai.chat.completions.stream({
			model: 'openai/gpt-4.1-mini',
			messages: [{ role: 'user', content: 'Hi' }],
			stream_options: { include_usage: true }
		});
		const completion = await stream.finalChatCompletion();

		const summary = await h.client.usage.summary.query({ groupBy: 'source' });
		expect(summary.find((r) => r.key === 'anthropic-api')).toMatchObject({
			requests: 1,
			inputTokens: message.usage.input_tokens,
			outputTokens: message.usage.output_tokens
		});
		expect(summary.find((r) => r.key === 'openai-api')).toMatchObject({
			requests: 1,
			inputTokens: completion.usage!.prompt_tokens,
			outputTokens: completion.usage!.completion_tokens
		});
		const onlyOpenAI = await h.client.usage.summary.query({ groupBy: 'provider', source: 'openai-api' });
		expect(onlyOpenAI).toEqual([expect.objectContaining({ key: 'openai', requests: 1 })]);
	});
});
