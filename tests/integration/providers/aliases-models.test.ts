import { describe, expect, it } from 'vitest';
import { errorOf } from '../../helpers/auth-client';
import { collectStream } from '../../helpers/chat-harness';
import { useCompatHarness } from '../compat/compat-harness';

const h = useCompatHarness();
const messages = [{ role: 'user' as const, content: 'Hello' }];

describe('aliases', () => {
	it('one alias serves the tRPC API, chats and /v1/chat/completions, and repointing moves them all', async () => {
		await h.client.aliases.set.mutate({ name: 'fast', providerId: 'openai', modelId: 'gpt-4.1-mini' });
		expect(await h.client.aliases.list.query()).toMatchObject([
			{ name: 'fast', providerId: 'openai', modelId: 'gpt-4.1-mini' }
		]);

		const viaApi = await h.client.completions.create.mutate({ modelId: 'fast', messages });
		expect(viaApi).toMatchObject({ providerId: 'openai', modelId: 'gpt-4.1-mini' });
		const chat = await h.client.chats.create.mutate({ modelId: 'fast' });
		// The chat keeps the alias, not its target.
		expect(chat).toMatchObject({ providerId: null, modelId: 'fast' });
		const openai = await h.openai();
		const viaCompat = await openai.chat.completions.create({ model: 'fast', messages });
		expect(viaCompat.model).toBe('openai/gpt-4.1-mini');

		await h.client.aliases.set.mutate({
			name: 'fast',
			providerId: 'anthropic',
			modelId: 'claude-sonnet-5-5'
		});
		expect(await h.client.completions.create.mutate({ modelId: 'fast', messages })).toMatchObject({
			providerId: 'anthropic',
			modelId: 'claude-sonnet-5-5'
		});
		const sent = await h.client.chats.send.mutate({ chatId: chat.id, content: 'Again' });
		const events = await collectStream(h.client, sent.assistantMessageId);
		expect(events[0]?.event).toMatchObject({ type: 'start', providerId: 'anthropic' });
		// A turn leaves the chat on the alias (not on the model that answered), so the next one follows it too.
		expect(await h.client.chats.get.query({ chatId: chat.id })).toMatchObject({
			providerId: null,
			modelId: 'fast'
		});
		await h.client.aliases.set.mutate({ name: 'fast', providerId: 'openai', modelId: 'gpt-4.1-mini' });
		const next = await h.client.chats.send.mutate({ chatId: chat.id, content: 'Once more' });
		const nextEvents = await collectStream(h.client, next.assistantMessageId);
		expect(nextEvents[0]?.event).toMatchObject({
			type: 'start',
			providerId: 'openai',
			modelId: 'gpt-4.1-mini'
		});
		await h.client.aliases.set.mutate({
			name: 'fast',
			providerId: 'anthropic',
			modelId: 'claude-sonnet-5-5'
		});
		expect((await openai.chat.completions.create({ model: 'fast', messages })).model).toBe(
			'anthropic/claude-sonnet-5-5'
		);
	});

	it('refuses an alias to a missing model, alias names with a slash, and members', async () => {
		const missing = await errorOf(
			h.client.aliases.set.mutate({ name: 'smart', providerId: 'openai', modelId: 'gpt-nope' })
		);
		expect(missing).toMatchObject({ code: 'BAD_REQUEST' });
		expect(missing.message).toContain('gpt-nope');
		const slash = await errorOf(
			h.client.aliases.set.mutate({ name: 'a/b', providerId: 'openai', modelId: 'gpt-4.1-mini' })
		);
		expect(slash.code).toBe('BAD_REQUEST');
		const { client } = await h.member();
		const member = await errorOf(
			client.aliases.set.mutate({ name: 'cheap', providerId: 'openai', modelId: 'gpt-4.1-mini' })
		);
		expect(member.code).toBe('FORBIDDEN');
		await h.client.aliases.set.mutate({ name: 'cheap', providerId: 'openai', modelId: 'gpt-4.1-nano' });
		await h.client.aliases.delete.mutate({ name: 'cheap' });
		const gone = await errorOf(h.client.completions.create.mutate({ modelId: 'cheap', messages }));
		expect(gone.code).toBe('BAD_REQUEST');
	});
});

describe('models by hand', () => {
	it('adds, edits and deletes a model; discovery keeps what the admin set', async () => {
		h.emulators.ollama.setModels([{ id: 'qwen3:4b', contextWindow: 32_768 }]);
		const added = await h.client.models.create.mutate({
			providerId: 'ollama',
			modelId: 'qwen3:4b',
			displayName: 'Qwen 3 (house)',
			contextWindow: 8_192,
			prices: { inputPerMTok: 0.1, outputPerMTok: 0.2 },
			supportsTemperature: false,
			supportsVision: true
		});
		expect(added).toMatchObject({
			source: 'manual',
			displayName: 'Qwen 3 (house)',
			supportsTemperature: false,
			supportsVision: true,
			inputPricePerMTok: 0.1
		});
		await h.client.models.refresh.mutate({ providerId: 'ollama' });
		const [afterDiscovery] = await h.client.models.list.query({ providerId: 'ollama' });
		expect(afterDiscovery).toMatchObject({
			modelId: 'qwen3:4b',
			displayName: 'Qwen 3 (house)',
			contextWindow: 8_192,
			inputPricePerMTok: 0.1,
			supportsTemperature: false,
			supportsVision: true,
			source: 'manual'
		});

		const edited = await h.client.models.update.mutate({
			providerId: 'ollama',
			modelId: 'qwen3:4b',
			displayName: 'Qwen 3',
			supportsVision: false
		});
		expect(edited).toMatchObject({
			displayName: 'Qwen 3',
			supportsVision: false,
			supportsTemperature: false
		});
		const twice = await errorOf(
			h.client.models.create.mutate({ providerId: 'ollama', modelId: 'qwen3:4b', displayName: 'Again' })
		);
		expect(twice.code).toBe('CONFLICT');

		const answer = await h.client.completions.create.mutate({
			providerId: 'ollama',
			modelId: 'qwen3:4b',
			messages
		});
		expect(answer.usage.costUsd).toBeGreaterThan(0);
		await h.client.models.delete.mutate({ providerId: 'ollama', modelId: 'qwen3:4b' });
		expect(await h.client.models.list.query({ providerId: 'ollama' })).toEqual([]);
		const gone = await errorOf(
			h.client.completions.create.mutate({ providerId: 'ollama', modelId: 'qwen3:4b', messages })
		);
		expect(gone.message).toContain('Unknown model');
		const unknownProvider = await errorOf(
			h.client.models.create.mutate({ providerId: 'nobody', modelId: 'x', displayName: 'X' })
		);
		expect(unknownProvider.code).toBe('NOT_FOUND');
	});
});
