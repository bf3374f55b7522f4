import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startOpenAIEmulator, type Emulator } from '../../emulators';
import { errorOf } from '../../helpers/auth-client';
import { collectStream, textOf, useChatHarness } from '../../helpers/chat-harness';

const h = useChatHarness();
let vllm: Emulator;
let gateway: Emulator;

beforeAll(async () => {
	[vllm, gateway] = await Promise.all([startOpenAIEmulator({ port: 0 }), startOpenAIEmulator({ port: 0 })]);
});
beforeEach(() => {
	for (const emulator of [vllm, gateway]) emulator.reset();
	vllm.setModels([{ id: 'qwen-2.5-7b' }]);
	gateway.setModels([{ id: 'llama-3.3-70b' }]);
});
afterAll(async () => {
	await Promise.all([vllm?.close(), gateway?.close()]);
});

const GATEWAY_SECRET = 'gw-secret-value-0000000042';

/** Two OpenAI-compatible servers beside the built-ins, each with its own models and prices. */
async function addBoth() {
	await h.client.providers.create.mutate({
		providerId: 'vllm',
		kind: 'openai-compatible',
		displayName: 'vLLM box',
		baseUrl: vllm.url,
		allowPrivateNetwork: true
	});
	const added = await h.client.providers.create.mutate({
		providerId: 'gateway',
		kind: 'openai-compatible',
		displayName: 'Gateway',
		baseUrl: gateway.url,
		apiKey: 'sk-gateway-key-00000000009999',
		headers: { 'X-Gateway-Auth': GATEWAY_SECRET },
		allowPrivateNetwork: true,
		priority: 50
	});
	for (const providerId of ['vllm', 'gateway']) await h.client.models.refresh.mutate({ providerId });
	await h.client.models.update.mutate({
		providerId: 'vllm',
		modelId: 'qwen-2.5-7b',
		prices: { inputPerMTok: 1, outputPerMTok: 2 }
	});
	await h.client.models.update.mutate({
		providerId: 'gateway',
		modelId: 'llama-3.3-70b',
		prices: { inputPerMTok: 10, outputPerMTok: 20 }
	});
	return added;
}

async function ask(chatId: string, providerId: string, modelId: string, content: string) {
	const sent = await h.client.chats.send.mutate({ chatId, content, providerId, modelId });
	const events = await collectStream(h.client, sent.assistantMessageId);
	return { sent, events };
}

describe('provider instances', () => {
	it('two openai-compatible providers and a built-in answer side by side in one chat', async () => {
		const added = await addBoth();
		expect(added).toMatchObject({
			id: 'gateway',
			kind: 'openai-compatible',
			configured: true,
			hasApiKey: true,
			keyHint: '9999',
			extraHeaderNames: ['X-Gateway-Auth'],
			builtIn: false,
			kindInfo: { baseUrlRequired: true, requiresApiKey: false }
		});
		const listed = await h.client.providers.list.query();
		expect(listed.map((p) => p.id)).toEqual(['anthropic', 'openai', 'ollama', 'gateway', 'vllm']);
		expect(JSON.stringify(listed)).not.toContain(GATEWAY_SECRET);

		const chat = await h.client.chats.create.mutate({ providerId: 'vllm', modelId: 'qwen-2.5-7b' });
		const one = await ask(chat.id, 'vllm', 'qwen-2.5-7b', 'First, from the vLLM box');
		const two = await ask(chat.id, 'gateway', 'llama-3.3-70b', 'Then through the gateway');
		const three = await ask(chat.id, 'openai', 'gpt-4.1-mini', 'And the built-in');
		for (const { events } of [one, two, three]) expect(events.at(-1)?.event.type).toBe('done');
		expect(textOf(one.events).length).toBeGreaterThan(0);

		expect(vllm.requests.filter((r) => r.path.endsWith('/chat/completions'))).toHaveLength(1);
		const sentToGateway = gateway.requests.find((r) => r.path.endsWith('/chat/completions'))!;
		expect(sentToGateway.headers['x-gateway-auth']).toBe(GATEWAY_SECRET);
		expect(sentToGateway.headers.authorization).toBe('Bearer sk-gateway-key-00000000009999');
		expect((sentToGateway.body as { model: string }).model).toBe('llama-3.3-70b');

		const { messages } = await h.client.chats.get.query({ chatId: chat.id });
		const answers = messages.filter((m) => m.role === 'assistant');
		expect(answers.map((m) => m.providerId)).toEqual(['vllm', 'gateway', 'openai']);
		const rows = await h.client.usage.byChat.query({ chatId: chat.id });
		for (const row of rows.filter((r) => r.providerId !== 'openai')) {
			const [inPrice, outPrice] = row.providerId === 'vllm' ? [1, 2] : [10, 20];
			expect(row.costUsd).toBeCloseTo((row.inputTokens * inPrice + row.outputTokens * outPrice) / 1e6, 10);
		}
	});

	it('a deleted provider leaves its history readable and its id taken; built-ins cannot be deleted', async () => {
		await addBoth();
		const chat = await h.client.chats.create.mutate({ providerId: 'gateway', modelId: 'llama-3.3-70b' });
		await ask(chat.id, 'gateway', 'llama-3.3-70b', 'Before the delete');
		await h.client.providers.delete.mutate({ providerId: 'gateway' });

		expect((await h.client.providers.list.query()).map((p) => p.id)).not.toContain('gateway');
		expect(await h.client.models.list.query({ providerId: 'gateway' })).toEqual([]);
		const { messages } = await h.client.chats.get.query({ chatId: chat.id });
		expect(messages.find((m) => m.role === 'assistant')).toMatchObject({ providerId: 'gateway' });
		const rows = await h.client.usage.byChat.query({ chatId: chat.id });
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({ providerId: 'gateway', status: 'ok' });
		expect(rows[0]!.costUsd).toBeGreaterThan(0);

		const resend = await errorOf(
			h.client.chats.send.mutate({ chatId: chat.id, content: 'After', providerId: 'gateway' })
		);
		expect(resend.message).toContain('Unknown provider "gateway"');
		const reuse = await errorOf(
			h.client.providers.create.mutate({
				providerId: 'gateway',
				kind: 'openai-compatible',
				displayName: 'Again',
				baseUrl: gateway.url,
				allowPrivateNetwork: true
			})
		);
		expect(reuse).toMatchObject({ code: 'CONFLICT' });
		const builtIn = await errorOf(h.client.providers.delete.mutate({ providerId: 'openai' }));
		expect(builtIn.message).toContain('disable it instead');
	});

	it('refuses a kind without its base URL, private hosts unless allowed, and reserved headers', async () => {
		const noUrl = await errorOf(
			h.client.providers.create.mutate({ providerId: 'lm', kind: 'openai-compatible', displayName: 'LM' })
		);
		expect(noUrl).toMatchObject({
			code: 'BAD_REQUEST',
			message: 'OpenAI-compatible server: enter its base URL.'
		});
		const privateHost = await errorOf(
			h.client.providers.create.mutate({
				providerId: 'lm',
				kind: 'openai-compatible',
				displayName: 'LM',
				baseUrl: vllm.url
			})
		);
		expect(privateHost.code).toBe('BAD_REQUEST');
		const reserved = await errorOf(
			h.client.providers.create.mutate({
				providerId: 'lm',
				kind: 'openai-compatible',
				displayName: 'LM',
				baseUrl: 'https://llm.example.com/v1',
				headers: { Host: 'evil.example' }
			})
		);
		expect(reserved.code).toBe('BAD_REQUEST');
		expect(reserved.message).toContain('set by Switchboard');
		const unknownKind = await errorOf(
			h.client.providers.create.mutate({
				providerId: 'lm',
				// @ts-expect-error a kind this build does not know
				kind: 'acme',
				displayName: 'LM',
				baseUrl: 'https://llm.example.com/v1'
			})
		);
		expect(unknownKind.code).toBe('BAD_REQUEST');
	});

	it('edits a name and headers; the next call carries the new headers', async () => {
		await addBoth();
		const edited = await h.client.providers.update.mutate({
			providerId: 'gateway',
			displayName: 'Team gateway',
			headers: { 'X-Team': 'blue' }
		});
		expect(edited).toMatchObject({ displayName: 'Team gateway', extraHeaderNames: ['X-Team'] });
		const chat = await h.client.chats.create.mutate({ providerId: 'gateway', modelId: 'llama-3.3-70b' });
		await ask(chat.id, 'gateway', 'llama-3.3-70b', 'Hello');
		const sent = gateway.requests.filter((r) => r.path.endsWith('/chat/completions')).at(-1)!;
		expect(sent.headers['x-team']).toBe('blue');
		expect(sent.headers['x-gateway-auth']).toBeUndefined();
		const cleared = await h.client.providers.update.mutate({ providerId: 'gateway', headers: null });
		expect(cleared.extraHeaderNames).toEqual([]);
	});
});
