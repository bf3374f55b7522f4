import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { providerConfigs } from '$lib/server/db/schema';
import { startOpenAIEmulator, type Emulator } from '../../emulators';
import { errorOf } from '../../helpers/auth-client';
import { collectStream, textOf, useChatHarness } from '../../helpers/chat-harness';

// OPENAI_API_KEY and OPENAI_BASE_URL point at the harness's OpenAI emulator.
const h = useChatHarness();

// Another host (another port is another host: keys are bound to host and port), recording headers.
let moved: Emulator;
beforeAll(async () => {
	moved = await startOpenAIEmulator({ host: '127.0.0.1' });
});
afterAll(() => moved.close());

const authorizations = (emulator: Emulator) => emulator.requests.map((r) => r.headers.authorization);

describe('an environment key and a moved base URL', () => {
	it('never sends the env key to the new host, and says a key for that host is needed', async () => {
		moved.reset();
		const envKey = h.config.OPENAI_API_KEY!;
		const info = await h.client.providers.update.mutate({
			providerId: 'openai',
			baseUrl: moved.url,
			settings: { allowPrivateNetwork: true }
		});
		const newHost = new URL(moved.url).host;
		expect(info).toMatchObject({
			hasApiKey: false,
			keyHint: null,
			configured: false,
			status: 'not_configured',
			problem: expect.stringMatching(new RegExp(`OPENAI_API_KEY .*enter a key for ${newHost}`))
		});

		const tested = await h.client.providers.test.mutate({ providerId: 'openai' });
		expect(tested.ok).toBe(false);
		const refresh = await errorOf(h.client.models.refresh.mutate({ providerId: 'openai' }));
		expect(refresh.code).toBe('PRECONDITION_FAILED');
		const chat = await errorOf(
			h.client.chats.create.mutate({ providerId: 'openai', modelId: 'gpt-4.1-mini' })
		);
		expect(chat.code).toBe('PRECONDITION_FAILED');
		// A retryable failure elsewhere must not fall back to the moved provider either.
		h.emulators.anthropic.script({ status: 503, errorType: 'api_error' });
		const anthropicChat = await h.client.chats.create.mutate({ providerId: 'anthropic' });
		const sent = await h.client.chats.send.mutate({ chatId: anthropicChat.id, content: 'hi' });
		await collectStream(h.client, sent.assistantMessageId);

		expect(authorizations(moved).filter((a) => a?.includes(envKey))).toEqual([]);
	});

	it('uses a key entered for the new host there, and the env key again once the URL moves back', async () => {
		moved.reset();
		const envKey = h.config.OPENAI_API_KEY!;
		const hostKey = 'sk-moved-host-key-00000000abcd';
		const info = await h.client.providers.update.mutate({
			providerId: 'openai',
			baseUrl: moved.url,
			apiKey: hostKey,
			settings: { allowPrivateNetwork: true }
		});
		expect(info).toMatchObject({ configured: true, apiKeySource: 'database', keyHint: 'abcd' });
		const [row] = await h.app.database.db
			.select()
			.from(providerConfigs)
			.where(eq(providerConfigs.id, 'openai'));
		expect(row.settings).toMatchObject({ apiKeyHost: new URL(moved.url).host });
		const chat = await h.client.chats.create.mutate({ providerId: 'openai', modelId: 'gpt-4.1-mini' });
		const sent = await h.client.chats.send.mutate({ chatId: chat.id, content: 'hi' });
		expect(textOf(await collectStream(h.client, sent.assistantMessageId))).toContain('hi');
		expect(new Set(authorizations(moved))).toEqual(new Set([`Bearer ${hostKey}`]));

		// Back to the environment's URL: the stored key (bound to the moved host) is dropped, the env key serves.
		const back = await h.client.providers.update.mutate({ providerId: 'openai', baseUrl: null });
		expect(back).toMatchObject({ configured: true, apiKeySource: 'environment' });
		const again = await h.client.chats.send.mutate({ chatId: chat.id, content: 'hi again' });
		await collectStream(h.client, again.assistantMessageId);
		expect(authorizations(h.emulators.openai).at(-1)).toBe(`Bearer ${envKey}`);
		expect(authorizations(moved).filter((a) => a?.includes(envKey))).toEqual([]);
	});
});
