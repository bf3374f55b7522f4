import { describe, expect, it } from 'vitest';
import { activePath, siblingsOf } from '$lib/schemas/conversation-tree';
import { collectStream, textOf, useChatHarness, type Client } from '../../helpers/chat-harness';
import type { Emulators } from '../../emulators';

const h = useChatHarness();

type Wire = { messages: { role: string; content: unknown }[] };

/** The user and assistant texts of the last chat request the OpenAI emulator received. */
function lastConversation(emulators: Emulators): string[] {
	const chatRequests = emulators.openai.requests.filter((r) => r.path.endsWith('/chat/completions'));
	const body = chatRequests.at(-1)!.body as Wire;
	return body.messages.map((m) => `${m.role}: ${String(m.content)}`);
}

async function turn(client: Client, chatId: string, content: string, answer: string) {
	h.emulators.openai.script({ chunks: [answer] });
	const sent = await client.chats.send.mutate({ chatId, content });
	expect(textOf(await collectStream(client, sent.assistantMessageId))).toBe(answer);
	return sent;
}

async function visible(client: Client, chatId: string) {
	const chat = await client.chats.get.query({ chatId });
	return activePath(chat.messages, chat.activeLeafId).map((m) => m.content);
}

describe('edit and branch', () => {
	it('an edit mid-chat makes a new branch, the old one stays, and the provider sees only the branch', async () => {
		const chat = await h.client.chats.create.mutate({ providerId: 'openai', modelId: 'gpt-4.1-mini' });
		await turn(h.client, chat.id, 'one', 'A1');
		const second = await turn(h.client, chat.id, 'two', 'A2');
		await turn(h.client, chat.id, 'three', 'A3');

		h.emulators.openai.script({ chunks: ['A2 edited'] });
		const edited = await h.client.chats.edit.mutate({
			messageId: second.userMessageId,
			content: 'two, edited'
		});
		await collectStream(h.client, edited.assistantMessageId);
		expect(lastConversation(h.emulators)).toEqual(['user: one', 'assistant: A1', 'user: two, edited']);
		expect(await visible(h.client, chat.id)).toEqual(['one', 'A1', 'two, edited', 'A2 edited']);

		// Back to the first version: the chosen branch is stored, so a reload (a new get) shows it too.
		await h.client.chats.selectBranch.mutate({ messageId: second.userMessageId });
		expect(await visible(h.client, chat.id)).toEqual(['one', 'A1', 'two', 'A2', 'three', 'A3']);
		const detail = await h.client.chats.get.query({ chatId: chat.id });
		const two = detail.messages.find((m) => m.id === second.userMessageId)!;
		expect(siblingsOf(detail.messages, two).map((m) => m.content)).toEqual(['two', 'two, edited']);

		await turn(h.client, chat.id, 'four', 'A4');
		expect(lastConversation(h.emulators)).toEqual([
			'user: one',
			'assistant: A1',
			'user: two',
			'assistant: A2',
			'user: three',
			'assistant: A3',
			'user: four'
		]);
		expect(detail.messages).toHaveLength(8);
	});

	it('regenerate adds a sibling answer that becomes the branch on screen', async () => {
		const chat = await h.client.chats.create.mutate({ providerId: 'openai', modelId: 'gpt-4.1-mini' });
		const first = await turn(h.client, chat.id, 'q', 'first');
		h.emulators.openai.script({ chunks: ['second'] });
		const again = await h.client.chats.regenerate.mutate({ messageId: first.assistantMessageId });
		await collectStream(h.client, again.assistantMessageId);
		expect(await visible(h.client, chat.id)).toEqual(['q', 'second']);
		// Siblings one at a time (with the switcher), not a comparison.
		expect((await h.client.chats.get.query({ chatId: chat.id })).comparing).toEqual([]);
		await h.client.chats.selectBranch.mutate({ messageId: first.assistantMessageId });
		expect(await visible(h.client, chat.id)).toEqual(['q', 'first']);
		await turn(h.client, chat.id, 'more', 'ok');
		expect(lastConversation(h.emulators)).toEqual(['user: q', 'assistant: first', 'user: more']);
	});

	it("another user can neither edit nor select a branch of someone else's chat", async () => {
		const chat = await h.client.chats.create.mutate({ providerId: 'openai', modelId: 'gpt-4.1-mini' });
		const sent = await turn(h.client, chat.id, 'mine', 'ok');
		const other = await h.member();
		await expect(
			other.client.chats.edit.mutate({ messageId: sent.userMessageId, content: 'theirs' })
		).rejects.toMatchObject({ data: { code: 'NOT_FOUND' } });
		await expect(
			other.client.chats.selectBranch.mutate({ messageId: sent.userMessageId })
		).rejects.toMatchObject({ data: { code: 'NOT_FOUND' } });
	});

	it('only user messages can be edited', async () => {
		const chat = await h.client.chats.create.mutate({ providerId: 'openai', modelId: 'gpt-4.1-mini' });
		const sent = await turn(h.client, chat.id, 'q', 'a');
		await expect(
			h.client.chats.edit.mutate({ messageId: sent.assistantMessageId, content: 'x' })
		).rejects.toMatchObject({ data: { code: 'BAD_REQUEST' } });
	});
});

describe('compare', () => {
	it('answers one prompt with three models as sibling answers; keeping one continues with it', async () => {
		const chat = await h.client.chats.create.mutate({ providerId: 'openai', modelId: 'gpt-4.1-mini' });
		const targets = [
			{ providerId: 'openai', modelId: 'gpt-4.1-mini' },
			{ providerId: 'openai', modelId: 'gpt-4.1-nano' },
			{ providerId: 'anthropic', modelId: 'claude-haiku-4-5' }
		];
		const started = await h.client.chats.compare.mutate({ chatId: chat.id, content: 'Which?', targets });
		expect(started.assistantMessageIds).toHaveLength(3);
		const texts = await Promise.all(
			started.assistantMessageIds.map(async (id) => textOf(await collectStream(h.client, id)))
		);
		expect(texts).toEqual([
			'Hello from gpt-4.1-mini. You said: Which?',
			'Hello from gpt-4.1-nano. You said: Which?',
			'Hello from claude-haiku-4-5. You said: Which?'
		]);
		const detail = await h.client.chats.get.query({ chatId: chat.id });
		const answers = detail.messages.filter((m) => m.parentId === started.userMessageId);
		expect(answers.map((m) => [m.providerId, m.modelId, m.status])).toEqual(
			targets.map((t) => [t.providerId, t.modelId, 'complete'])
		);
		// Not yet resolved: a reload shows the columns again, in the order the models were picked.
		expect(detail.comparing).toEqual(started.assistantMessageIds);

		await h.client.chats.selectBranch.mutate({ messageId: started.assistantMessageIds[2] });
		expect((await h.client.chats.get.query({ chatId: chat.id })).comparing).toEqual([]);
		await h.client.chats.update.mutate({ chatId: chat.id, providerId: 'openai', modelId: 'gpt-4.1-mini' });
		await turn(h.client, chat.id, 'Go on', 'continued');
		expect(lastConversation(h.emulators)).toEqual([
			'user: Which?',
			'assistant: Hello from claude-haiku-4-5. You said: Which?',
			'user: Go on'
		]);
	});

	it('a column whose model fails before its first token falls back, as a send does', async () => {
		const chat = await h.client.chats.create.mutate({ providerId: 'openai', modelId: 'gpt-4.1-mini' });
		h.emulators.anthropic.script({ status: 529, errorType: 'overloaded_error' });
		const started = await h.client.chats.compare.mutate({
			chatId: chat.id,
			content: 'Which?',
			targets: [
				{ providerId: 'openai', modelId: 'gpt-4.1-nano' },
				{ providerId: 'anthropic', modelId: 'claude-haiku-4-5' }
			]
		});
		const [nano, haiku] = await Promise.all(
			started.assistantMessageIds.map((id) => collectStream(h.client, id))
		);
		expect(textOf(nano)).toBe('Hello from gpt-4.1-nano. You said: Which?');
		expect(haiku.find((e) => e.event.type === 'fallback')?.event).toEqual({
			type: 'fallback',
			from: { providerId: 'anthropic', modelId: 'claude-haiku-4-5' },
			to: { providerId: 'openai', modelId: 'gpt-4.1-mini' },
			reason: 'overloaded'
		});
		expect(textOf(haiku)).toBe('Hello from gpt-4.1-mini. You said: Which?');
		const detail = await h.client.chats.get.query({ chatId: chat.id });
		const answers = detail.messages.filter((m) => m.parentId === started.userMessageId);
		expect(answers.map((m) => [m.providerId, m.modelId, m.status])).toEqual([
			['openai', 'gpt-4.1-nano', 'complete'],
			['openai', 'gpt-4.1-mini', 'complete']
		]);
	});

	it('counts each column against the per-user limit and writes nothing when refused', async () => {
		const chat = await h.client.chats.create.mutate({ providerId: 'openai', modelId: 'gpt-4.1-mini' });
		const targets = ['gpt-4.1-mini', 'gpt-4.1-nano', 'gpt-4o-mini', 'gpt-5-mini'].map((modelId) => ({
			providerId: 'openai',
			modelId
		}));
		// The harness allows 3 concurrent answers per user (app default): 4 columns are one too many.
		await expect(
			h.client.chats.compare.mutate({ chatId: chat.id, content: 'All of you', targets })
		).rejects.toMatchObject({ data: { code: 'TOO_MANY_REQUESTS' } });
		expect((await h.client.chats.get.query({ chatId: chat.id })).messages).toHaveLength(0);
		// The slots taken before the refusal were given back: three columns fit.
		const three = await h.client.chats.compare.mutate({
			chatId: chat.id,
			content: 'Three of you',
			targets: targets.slice(0, 3)
		});
		await Promise.all(three.assistantMessageIds.map((id) => collectStream(h.client, id)));
	});

	it('refuses one model, the same model twice and more than four with the reason', async () => {
		const chat = await h.client.chats.create.mutate({});
		const one = { providerId: 'openai', modelId: 'gpt-4.1-mini' };
		await expect(
			h.client.chats.compare.mutate({ chatId: chat.id, content: 'x', targets: [one] })
		).rejects.toMatchObject({ data: { code: 'BAD_REQUEST' } });
		await expect(
			h.client.chats.compare.mutate({ chatId: chat.id, content: 'x', targets: [one, one] })
		).rejects.toThrow(/Each model once/);
		await expect(
			h.client.chats.compare.mutate({ chatId: chat.id, content: 'x', targets: [one, one, one, one, one] })
		).rejects.toThrow(/at most 4/);
	});
});

describe('sampling', () => {
	const sampling = { topP: 0.5, stopSequences: ['END'], seed: 42 };

	/** A new chat on the model, one answered message with `sampling`, and the chat's id. */
	async function sendWithSampling(target: { providerId: string; modelId: string }) {
		const chat = await h.client.chats.create.mutate(target);
		const sent = await h.client.chats.send.mutate({ chatId: chat.id, content: 'q', ...sampling });
		await collectStream(h.client, sent.assistantMessageId);
		return chat.id;
	}

	it('sends top_p, stop and seed to a model that takes them, and saves them on the chat', async () => {
		h.emulators.openai.script({ chunks: ['ok'] });
		const chatId = await sendWithSampling({ providerId: 'openai', modelId: 'gpt-4.1-mini' });
		const body = h.emulators.openai.requests.at(-1)!.body as Record<string, unknown>;
		expect(body).toMatchObject({ top_p: 0.5, stop: ['END'], seed: 42 });
		expect(await h.client.chats.get.query({ chatId })).toMatchObject(sampling);
	});

	it('leaves out what the model does not take (Anthropic has no seed)', async () => {
		await sendWithSampling({ providerId: 'anthropic', modelId: 'claude-haiku-4-5' });
		const body = h.emulators.anthropic.requests.at(-1)!.body as Record<string, unknown>;
		expect(body).toMatchObject({ top_p: 0.5, stop_sequences: ['END'] });
		expect(body).not.toHaveProperty('seed');
		const models = await h.client.models.list.query({ providerId: 'anthropic' });
		expect(models.find((m) => m.modelId === 'claude-haiku-4-5')).toMatchObject({
			supportsTopP: true,
			supportsStop: true,
			supportsSeed: false
		});
	});
});
