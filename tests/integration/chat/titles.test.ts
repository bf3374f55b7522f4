import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { providerUsage } from '$lib/server/db/schema';
import { collectStream, useChatHarness } from '../../helpers/chat-harness';

// TITLE_MODEL unset: the cheapest enabled model with known prices writes titles.
const h = useChatHarness({ config: { TITLE_MODEL: undefined } });

async function cheapestModel() {
	const providers = await h.client.providers.list.query();
	const usable = new Set(providers.filter((p) => p.enabled && p.configured).map((p) => p.id));
	const models = await h.client.models.list.query({});
	return models
		.filter((m) => usable.has(m.providerId) && m.inputPricePerMTok !== null && m.outputPricePerMTok !== null)
		.map((m) => ({ ...m, price: m.inputPricePerMTok! + m.outputPricePerMTok! }))
		.sort((a, b) => a.price - b.price || a.modelId.localeCompare(b.modelId))[0];
}

function titleRows(chatId: string) {
	return h.app.database.db.select().from(providerUsage).where(eq(providerUsage.chatId, chatId));
}

describe('titles', () => {
	it('after the first answer, the cheapest model names the chat, recorded as its own usage row', async () => {
		const cheapest = await cheapestModel();
		const emulator = cheapest.providerId === 'openai' ? h.emulators.openai : h.emulators.anthropic;
		const chat = await h.client.chats.create.mutate({ providerId: 'anthropic', modelId: 'claude-haiku-4-5' });
		h.emulators.anthropic.script({ model: 'claude-haiku-4-5', chunks: ['Lisbon in three days: ...'] });
		emulator.script({ model: cheapest.modelId, chunks: ['Title: "A Trip to Lisbon."'] });
		const sent = await h.client.chats.send.mutate({
			chatId: chat.id,
			content: 'Plan a trip to Lisbon\nplease'
		});
		await collectStream(h.client, sent.assistantMessageId);
		// The answer's end waits for the title, so a client that reads the chat on `done` sees it.
		expect((await h.client.chats.get.query({ chatId: chat.id })).title).toBe('A Trip to Lisbon');
		const rows = await titleRows(chat.id);
		expect(rows.map((r) => [r.source, r.providerId, r.modelId, r.status]).sort()).toEqual(
			[
				['app', 'anthropic', 'claude-haiku-4-5', 'ok'],
				['title', cheapest.providerId, cheapest.modelId, 'ok']
			].sort()
		);
		expect(rows.find((r) => r.source === 'title')!.messageId).toBeNull();

		// Only the first answer names a chat.
		const again = await h.client.chats.send.mutate({ chatId: chat.id, content: 'And Porto?' });
		await collectStream(h.client, again.assistantMessageId);
		expect((await titleRows(chat.id)).filter((r) => r.source === 'title')).toHaveLength(1);
	});

	it('keeps the first line when the title call fails, and the failure is recorded', async () => {
		const cheapest = await cheapestModel();
		const emulator = cheapest.providerId === 'openai' ? h.emulators.openai : h.emulators.anthropic;
		const chat = await h.client.chats.create.mutate({ providerId: 'anthropic', modelId: 'claude-haiku-4-5' });
		emulator.script({ model: cheapest.modelId, status: 400, errorType: 'invalid_request_error' });
		const sent = await h.client.chats.send.mutate({
			chatId: chat.id,
			content: 'Plan a trip to Lisbon\nplease'
		});
		const events = await collectStream(h.client, sent.assistantMessageId);
		expect(events.at(-1)!.event.type).toBe('done');
		expect((await h.client.chats.get.query({ chatId: chat.id })).title).toBe('Plan a trip to Lisbon');
		const title = (await titleRows(chat.id)).find((r) => r.source === 'title');
		expect(title).toMatchObject({ status: 'error', errorCode: 'invalid_request' });
	});

	it('a title the person wrote is never replaced, and titles stay editable', async () => {
		const chat = await h.client.chats.create.mutate({
			title: 'Mine',
			providerId: 'openai',
			modelId: 'gpt-4.1-mini'
		});
		const sent = await h.client.chats.send.mutate({ chatId: chat.id, content: 'Hello' });
		await collectStream(h.client, sent.assistantMessageId);
		expect((await h.client.chats.get.query({ chatId: chat.id })).title).toBe('Mine');
		expect((await titleRows(chat.id)).filter((r) => r.source === 'title')).toHaveLength(0);
		await h.client.chats.update.mutate({ chatId: chat.id, title: 'Renamed' });
		expect((await h.client.chats.get.query({ chatId: chat.id })).title).toBe('Renamed');
	});
});
