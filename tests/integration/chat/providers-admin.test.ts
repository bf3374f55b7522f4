import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { providerConfigs } from '$lib/server/db/schema';
import { errorOf } from '../../helpers/auth-client';
import { collectStream, useChatHarness } from '../../helpers/chat-harness';

const h = useChatHarness({ config: { OPENAI_API_KEY: undefined, OPENAI_BASE_URL: undefined } });

describe('providers admin', () => {
	it('lists providers without ever returning a key', async () => {
		const providers = await h.client.providers.list.query();
		expect(providers.map((p) => p.id)).toEqual(['anthropic', 'openai', 'ollama']);
		const anthropic = providers.find((p) => p.id === 'anthropic')!;
		expect(anthropic).toMatchObject({
			configured: true,
			hasApiKey: true,
			apiKeySource: 'environment',
			keyHint: '0002',
			status: 'ready',
			isDefault: true
		});
		expect(providers.find((p) => p.id === 'openai')).toMatchObject({
			configured: false,
			hasApiKey: false,
			status: 'not_configured',
			kindInfo: { requiresApiKey: true, apiKeyEnvVar: 'OPENAI_API_KEY', privateNetworkByDefault: false }
		});
		// The UI learns what a kind needs from the data, not from its name.
		expect(providers.find((p) => p.id === 'ollama')?.kindInfo).toMatchObject({
			requiresApiKey: false,
			privateNetworkByDefault: true,
			baseUrlEnvVar: 'OLLAMA_HOST',
			noModelsHint: expect.stringContaining('ollama serve')
		});
		expect(JSON.stringify(providers)).not.toContain(h.config.ANTHROPIC_API_KEY);
	});

	it('stores a key encrypted, shows its hint, and uses it', async () => {
		const key = 'sk-proj-test-key-abcdefgh1234';
		const updated = await h.client.providers.update.mutate({
			providerId: 'openai',
			apiKey: key,
			baseUrl: h.emulators.openai.url,
			settings: { allowPrivateNetwork: true }
		});
		expect(updated).toMatchObject({
			hasApiKey: true,
			keyHint: '1234',
			configured: true,
			apiKeySource: 'database'
		});
		expect(JSON.stringify(updated)).not.toContain(key);
		const [row] = await h.app.database.db
			.select()
			.from(providerConfigs)
			.where(eq(providerConfigs.id, 'openai'));
		expect(row.apiKeyEncrypted).toBeTruthy();
		expect(row.apiKeyEncrypted).not.toContain(key);

		const chat = await h.client.chats.create.mutate({ providerId: 'openai', modelId: 'gpt-4.1-mini' });
		const sent = await h.client.chats.send.mutate({ chatId: chat.id, content: 'hi' });
		await collectStream(h.client, sent.assistantMessageId);
		expect(h.emulators.openai.requests[0].headers.authorization).toBe(`Bearer ${key}`);

		const tested = await h.client.providers.test.mutate({ providerId: 'openai' });
		expect(tested).toMatchObject({ ok: true, modelsSeen: expect.any(Number) });
	});

	it('moving the base URL to another host without the key again clears the stored key', async () => {
		await h.client.providers.update.mutate({
			providerId: 'openai',
			apiKey: 'sk-proj-test-key-abcdefgh1234',
			baseUrl: h.emulators.openai.url,
			settings: { allowPrivateNetwork: true }
		});
		const moved = await h.client.providers.update.mutate({
			providerId: 'openai',
			baseUrl: 'https://attacker.example/v1'
		});
		expect(moved).toMatchObject({
			hasApiKey: false,
			configured: false,
			baseUrl: 'https://attacker.example/v1'
		});
		const [row] = await h.app.database.db
			.select()
			.from(providerConfigs)
			.where(eq(providerConfigs.id, 'openai'));
		expect(row.apiKeyEncrypted).toBeNull();
		const withKey = await h.client.providers.update.mutate({
			providerId: 'openai',
			baseUrl: 'https://other.example/v1',
			apiKey: 'sk-new-key-000000009999'
		});
		expect(withKey).toMatchObject({ hasApiKey: true, keyHint: '9999' });
	});

	it('refuses cloud metadata addresses and private hosts unless allowed', async () => {
		const metadata = await errorOf(
			h.client.providers.update.mutate({
				providerId: 'openai',
				baseUrl: 'http://169.254.169.254/v1',
				settings: { allowPrivateNetwork: true }
			})
		);
		expect(metadata.code).toBe('BAD_REQUEST');
		const privateHost = await errorOf(
			h.client.providers.update.mutate({ providerId: 'openai', baseUrl: 'http://10.0.0.5/v1' })
		);
		expect(privateHost.code).toBe('BAD_REQUEST');
	});

	it('a failing connection test is a result with a typed code, not an exception', async () => {
		h.emulators.anthropic.script({ on: 'models', status: 401, errorType: 'authentication_error' });
		const tested = await h.client.providers.test.mutate({ providerId: 'anthropic' });
		expect(tested).toMatchObject({ ok: false, error: { code: 'auth' } });
		expect(JSON.stringify(tested)).not.toContain(h.config.ANTHROPIC_API_KEY);
	});

	it('default and priority change the fallback order; disabling a provider takes effect at once', async () => {
		await h.client.providers.update.mutate({ providerId: 'ollama', isDefault: true });
		await h.client.models.refresh.mutate({ providerId: 'ollama' });
		const chat = await h.client.chats.create.mutate({});
		expect(chat.providerId).toBe('ollama');
		await h.client.providers.update.mutate({ providerId: 'ollama', enabled: false });
		const next = await h.client.chats.create.mutate({});
		expect(next.providerId).toBe('anthropic');
		const disabled = await errorOf(h.client.chats.send.mutate({ chatId: chat.id, content: 'hi' }));
		expect(disabled).toMatchObject({ code: 'PRECONDITION_FAILED' });
	});

	it('models: update prices and toggles; disabled models are refused', async () => {
		const updated = await h.client.models.update.mutate({
			providerId: 'anthropic',
			modelId: 'claude-haiku-4-5',
			prices: { inputPerMTok: 2, outputPerMTok: 8 },
			supportsTemperature: false
		});
		expect(updated).toMatchObject({
			inputPricePerMTok: 2,
			outputPricePerMTok: 8,
			supportsTemperature: false
		});
		await h.client.models.update.mutate({
			providerId: 'anthropic',
			modelId: 'claude-opus-4-5',
			enabled: false
		});
		const listed = await h.client.models.list.query({ providerId: 'anthropic' });
		expect(listed.map((m) => m.modelId)).not.toContain('claude-opus-4-5');
		const all = await h.client.models.list.query({ providerId: 'anthropic', includeDisabled: true });
		expect(all.map((m) => m.modelId)).toContain('claude-opus-4-5');
		const refused = await errorOf(
			h.client.chats.create.mutate({ providerId: 'anthropic', modelId: 'claude-opus-4-5' })
		);
		expect(refused.code).toBe('BAD_REQUEST');
	});
});
