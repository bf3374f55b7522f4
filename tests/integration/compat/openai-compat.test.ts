import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { useCompatHarness } from './compat-harness';

/*
 * The OpenAI-compatible door as tools use it: the official `openai` package, pointed at Switchboard
 * with an API token, reaching each upstream provider (the emulators) through /v1/chat/completions.
 */
const h = useCompatHarness();

async function usageRows() {
	const rows = await h.app.database.db.query.providerUsage.findMany();
	return rows.map((r) => ({
		providerId: r.providerId,
		modelId: r.modelId,
		status: r.status,
		source: r.source,
		userId: r.userId,
		inputTokens: r.inputTokens,
		outputTokens: r.outputTokens
	}));
}

describe('POST /v1/chat/completions', () => {
	it('answers through OpenAI with the chat.completion shape and the provider usage', async () => {
		const client = await h.openai();
		h.emulators.openai.script({ chunks: ['Hel', 'lo'], usage: { inputTokens: 11, outputTokens: 2 } });
		const completion = await client.chat.completions.create({
			model: 'openai/gpt-4.1-mini',
			messages: [
				{ role: 'developer', content: 'Be brief' },
				{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }
			],
			temperature: 0.2,
			top_p: 0.5,
			max_tokens: 20,
			stop: ['END'],
			user: 'someone'
		});
		expect(completion).toMatchObject({
			object: 'chat.completion',
			model: 'openai/gpt-4.1-mini',
			choices: [{ index: 0, message: { role: 'assistant', content: 'Hello' }, finish_reason: 'stop' }],
			usage: { prompt_tokens: 11, completion_tokens: 2, total_tokens: 13 }
		});
		const sent = h.emulators.openai.requests.find((r) => r.path === '/v1/chat/completions')!.body;
		expect(sent).toMatchObject({
			model: 'gpt-4.1-mini',
			messages: [
				{ role: 'system', content: 'Be brief' },
				{ role: 'user', content: 'Hi' }
			],
			top_p: 0.5,
			stop: ['END'],
			max_completion_tokens: 20
		});
		expect(await usageRows()).toEqual([
			expect.objectContaining({
				providerId: 'openai',
				status: 'ok',
				source: 'openai-api',
				userId: h.admin.user.id
			})
		]);
	});

	it('reaches Claude by a bare model id, and Ollama, from the same client', async () => {
		const client = await h.openai();
		h.emulators.anthropic.script({ chunks: ['From ', 'Claude'], usage: { inputTokens: 5, outputTokens: 2 } });
		const claude = await client.chat.completions.create({
			model: 'claude-sonnet-5-5',
			messages: [{ role: 'user', content: 'Hi' }]
		});
		expect(claude.model).toBe('anthropic/claude-sonnet-5-5');
		expect(claude.choices[0].message.content).toBe('From Claude');

		await h.client.models.refresh.mutate({ providerId: 'ollama' });
		const [ollamaModel] = await h.client.models.list.query({ providerId: 'ollama' });
		h.emulators.ollama.script({ chunks: ['Local'], usage: { inputTokens: 3, outputTokens: 1 } });
		const local = await client.chat.completions.create({
			model: `ollama/${ollamaModel.modelId}`,
			messages: [{ role: 'user', content: 'Hi' }]
		});
		expect(local).toMatchObject({
			model: `ollama/${ollamaModel.modelId}`,
			choices: [{ message: { content: 'Local' } }],
			usage: { prompt_tokens: 3, completion_tokens: 1 }
		});
	});

	it('streams chat.completion.chunk objects with include_usage, ending with a usage chunk', async () => {
		const client = await h.openai();
		h.emulators.anthropic.script({ chunks: ['a', 'b', 'c'], usage: { inputTokens: 9, outputTokens: 3 } });
		const stream = await client.chat.completions.create({
			model: 'anthropic/claude-sonnet-5-5',
			messages: [{ role: 'user', content: 'Hi' }],
			stream: true,
			stream_options: { include_usage: true }
		});
		const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
		for await (const chunk of stream) chunks.push(chunk);
		expect(chunks.every((c) => c.object === 'chat.completion.chunk')).toBe(true);
		expect(chunks.every((c) => c.model === 'anthropic/claude-sonnet-5-5')).toBe(true);
		expect(chunks[0].choices[0].delta.role).toBe('assistant');
		expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('abc');
		expect(chunks.at(-2)!.choices[0].finish_reason).toBe('stop');
		expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 9, completion_tokens: 3 } });
		expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
	});

	it("works with the SDK's own stream helper and finalChatCompletion()", async () => {
		const client = await h.openai();
		h.emulators.openai.script({ chunks: ['One ', 'two'], usage: { inputTokens: 4, outputTokens: 2 } });
		const stream = client.chat.completions.stream({
			model: 'gpt-4.1-mini',
			messages: [{ role: 'user', content: 'Count' }],
			stream_options: { include_usage: true }
		});
		const final = await stream.finalChatCompletion();
		expect(final.choices[0].message.content).toBe('One two');
		expect(final.usage).toMatchObject({ prompt_tokens: 4, completion_tokens: 2 });
	});

	it('stops the provider call when the client aborts mid-stream and records the call as stopped', async () => {
		const client = await h.openai();
		h.emulators.openai.script({ chunks: ['a', 'b', 'c', 'd', 'e', 'f'], stallAfter: 2 });
		const stream = await client.chat.completions.create({
			model: 'openai/gpt-4.1-mini',
			messages: [{ role: 'user', content: 'Hi' }],
			stream: true
		});
		let text = '';
		for await (const chunk of stream) {
			text += chunk.choices[0]?.delta.content ?? '';
			if (text === 'ab') stream.controller.abort();
		}
		await expect
			.poll(usageRows)
			.toEqual([expect.objectContaining({ providerId: 'openai', status: 'stopped', source: 'openai-api' })]);
		await expect.poll(() => h.emulators.openai.requests.at(-1)?.clientClosed).toBe(true);
	});

	it('falls back before the first token: the model says who answered, a header says it happened', async () => {
		const client = await h.openai();
		h.emulators.anthropic.script({ status: 529, errorType: 'overloaded_error', errorMessage: 'Overloaded' });
		h.emulators.openai.script({ chunks: ['Backup'] });
		const { data, response } = await client.chat.completions
			.create({ model: 'anthropic/claude-sonnet-5-5', messages: [{ role: 'user', content: 'Hi' }] })
			.withResponse();
		expect(data.model).toBe('openai/gpt-4.1-mini');
		expect(data.choices[0].message.content).toBe('Backup');
		expect(response.headers.get('x-switchboard-fallback-from')).toBe('anthropic/claude-sonnet-5-5');
		const rows = await usageRows();
		expect(rows.map((r) => [r.providerId, r.status, r.source]).sort()).toEqual([
			['anthropic', 'error', 'openai-api'],
			['openai', 'ok', 'openai-api']
		]);
	});
});

describe('GET /v1/models', () => {
	it('lists the enabled models as provider/model in the list shape, and retrieves one', async () => {
		const client = await h.openai();
		const ids: string[] = [];
		for await (const model of client.models.list()) ids.push(model.id);
		expect(ids).toContain('anthropic/claude-sonnet-5-5');
		expect(ids).toContain('openai/gpt-4.1-mini');
		const one = await client.models.retrieve('anthropic/claude-sonnet-5-5');
		expect(one).toMatchObject({ id: 'anthropic/claude-sonnet-5-5', object: 'model', owned_by: 'anthropic' });
	});

	it('leaves out the models of a disabled provider', async () => {
		await h.client.providers.update.mutate({ providerId: 'anthropic', enabled: false });
		h.app.providers.invalidate();
		const client = await h.openai();
		const ids: string[] = [];
		for await (const model of client.models.list()) ids.push(model.id);
		expect(ids.some((id) => id.startsWith('anthropic/'))).toBe(false);
		await expect(client.models.retrieve('anthropic/claude-sonnet-5-5')).rejects.toBeInstanceOf(
			OpenAI.NotFoundError
		);
	});
});
