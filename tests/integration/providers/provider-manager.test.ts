import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sealApiKey } from '$lib/server/crypto';
import { updateModel } from '$lib/server/db/repositories/model-repository';
import { updateProviderConfig } from '$lib/server/db/repositories/provider-repository';
import { providerConfigs } from '$lib/server/db/schema';
import { parseEnv, type Env } from '$lib/server/env-schema';
import { ProviderManager } from '$lib/server/services/provider-manager';
import { streamWithRetries } from '$lib/server/providers/resilient-stream';
import { ProviderError } from '$lib/server/providers/types';
import { startEmulators, type Emulators } from '../../emulators';
import { countQueries, useTestDatabase } from '../../helpers/test-database';

const testDb = useTestDatabase();
let emus: Emulators;
beforeAll(async () => {
	emus = await startEmulators();
});
afterAll(() => emus.close());
beforeEach(() => emus.reset());

const ENV_KEY = 'sk-env-key-0000000000';
const DB_KEY = 'sk-db-key-1111111111';

function env(overrides: Record<string, string> = {}): Env {
	const result = parseEnv({
		DATA_DIR: mkdtempSync(path.join(tmpdir(), 'switchboard-pm-')),
		SECRET_KEY: 'integration-test-secret-key',
		OPENAI_BASE_URL: emus.openai.url,
		ANTHROPIC_BASE_URL: emus.anthropic.url,
		OLLAMA_HOST: emus.ollama.url,
		PROVIDER_TIMEOUT_MS: '2000',
		...overrides
	});
	if (!result.ok) throw new Error(result.message);
	return result.env;
}

const keys = { ANTHROPIC_API_KEY: ENV_KEY, OPENAI_API_KEY: ENV_KEY };
const manager = (config: Env, ttlMs = 5_000) => new ProviderManager({ db: testDb.handle.db, config, ttlMs });
const failure = (code: ProviderError['code']) =>
	new ProviderError({ code, message: 'x', providerId: 'anthropic', retryable: true });

async function text(m: ProviderManager, req: { providerId?: string; modelId?: string }, extra = {}) {
	const resolved = await m.resolve(req);
	const request = m.prepareRequest(resolved, {
		model: '',
		messages: [{ role: 'user', content: 'hi' }],
		...extra
	});
	let out = '';
	for await (const part of streamWithRetries(resolved.provider, request, {
		signal: new AbortController().signal,
		maxRetries: 0,
		firstTokenTimeoutMs: 2000,
		idleTimeoutMs: 2000
	})) {
		if (part.type === 'text-delta') out += part.text;
	}
	return out;
}

describe('ProviderManager defaults', () => {
	it('without keys only Ollama (no key needed) is configured', async () => {
		const m = manager(env());
		expect(await m.defaultProviderId()).toBe('ollama');
		const states = await m.listStates();
		expect(states.find((s) => s.id === 'openai')).toMatchObject({
			configured: false,
			problem: expect.stringContaining('OPENAI_API_KEY')
		});
		expect(states.find((s) => s.id === 'ollama')).toMatchObject({
			configured: true,
			baseUrlSource: 'environment'
		});
	});

	it('prefers DEFAULT_PROVIDER when configured, else the row marked default, else priority', async () => {
		expect(await manager(env(keys)).defaultProviderId()).toBe('anthropic');
		expect(await manager(env({ ...keys, DEFAULT_PROVIDER: 'openai' })).defaultProviderId()).toBe('openai');
		// Not configured: DEFAULT_PROVIDER is passed over.
		expect(
			await manager(env({ ANTHROPIC_API_KEY: ENV_KEY, DEFAULT_PROVIDER: 'openai' })).defaultProviderId()
		).toBe('anthropic');
		await updateProviderConfig(testDb.handle.db, 'openai', { isDefault: true });
		expect(await manager(env(keys)).defaultProviderId()).toBe('openai');
	});

	it("uses the row's default model while enabled, else the first enabled one", async () => {
		const m = manager(env(keys), 0);
		expect(await m.defaultModelId('anthropic')).toBe('claude-sonnet-5-5');
		await updateModel(testDb.handle.db, 'anthropic', 'claude-sonnet-5-5', { enabled: false });
		expect(await m.defaultModelId('anthropic')).toBe('claude-haiku-4-5');
		expect(await m.defaultModelId('ollama')).toBeNull();
	});

	it('discovers Ollama models (context length from /api/show), after which it has a default model', async () => {
		const m = manager(env());
		expect(await m.discoverModels('ollama')).toEqual({ added: 2, updated: 0, missing: 0 });
		expect(await m.defaultModelId('ollama')).toBe('llama3.2:1b');
		expect((await m.resolve({ providerId: 'ollama' })).model).toMatchObject({
			contextWindow: 131_072,
			source: 'discovered'
		});
	});
});

describe('ProviderManager.resolve errors', () => {
	const expectAppError = async (promise: Promise<unknown>, code: string, field: string, message: RegExp) => {
		await expect(promise).rejects.toMatchObject({
			name: 'AppError',
			code,
			field,
			message: expect.stringMatching(message)
		});
	};

	it('names unknown providers and models with close matches', async () => {
		const m = manager(env(keys));
		await expectAppError(
			m.resolve({ providerId: 'opena' }),
			'bad_request',
			'providerId',
			/Unknown provider "opena"\. Did you mean "openai"/
		);
		await expectAppError(
			m.resolve({ providerId: 'openai', modelId: 'gpt-4.1-mnii' }),
			'bad_request',
			'modelId',
			/Unknown model.*"gpt-4\.1-mini"/
		);
	});

	it('refuses disabled and unconfigured providers, and disabled models', async () => {
		const { db } = testDb.handle;
		await updateProviderConfig(db, 'anthropic', { enabled: false });
		await updateModel(db, 'openai', 'gpt-4o', { enabled: false });
		const m = manager(env({ OPENAI_API_KEY: ENV_KEY }));
		await expectAppError(
			m.resolve({ providerId: 'anthropic' }),
			'precondition_failed',
			'providerId',
			/disabled/
		);
		await expectAppError(
			manager(env()).resolve({ providerId: 'openai' }),
			'precondition_failed',
			'providerId',
			/No API key/
		);
		await expectAppError(
			m.resolve({ providerId: 'openai', modelId: 'gpt-4o' }),
			'bad_request',
			'modelId',
			/disabled/
		);
		await expectAppError(
			m.resolve({ providerId: 'ollama' }),
			'precondition_failed',
			'modelId',
			/no enabled models/
		);
	});

	it('with nothing configured says so', async () => {
		await updateProviderConfig(testDb.handle.db, 'ollama', { enabled: false });
		await expectAppError(
			manager(env()).resolve({}),
			'precondition_failed',
			'providerId',
			/No provider is configured/
		);
	});

	it('refuses a database base URL on the private network unless allowed, and metadata always', async () => {
		const { db } = testDb.handle;
		await updateProviderConfig(db, 'openai', { baseUrl: emus.openai.url });
		const m = manager(env(keys), 0);
		await expectAppError(
			m.resolve({ providerId: 'openai' }),
			'precondition_failed',
			'providerId',
			/private or loopback/
		);
		await updateProviderConfig(db, 'openai', { settings: { allowPrivateNetwork: true } });
		expect(await text(m, { providerId: 'openai' })).toContain('Hello from gpt-4.1-mini');
		await updateProviderConfig(db, 'openai', { baseUrl: 'http://2852039166/v1' });
		await expectAppError(
			m.resolve({ providerId: 'openai' }),
			'precondition_failed',
			'providerId',
			/metadata/
		);
	});
});

describe('ProviderManager configuration', () => {
	it('a key in the database wins over the environment, and is stored encrypted', async () => {
		const config = env(keys);
		const { db } = testDb.handle;
		await updateProviderConfig(db, 'openai', sealApiKey(DB_KEY, config));
		const [row] = await db.select().from(providerConfigs).where(eq(providerConfigs.id, 'openai'));
		expect(row.apiKeyEncrypted).not.toContain(DB_KEY);
		expect(row.apiKeyHint).toBe('1111');
		await text(manager(config), { providerId: 'openai' });
		expect(emus.openai.requests[0].headers.authorization).toBe(`Bearer ${DB_KEY}`);
		await text(manager(config), { providerId: 'anthropic' });
		expect(emus.anthropic.requests[0].headers.authorization).toBe(`Bearer ${ENV_KEY}`);
	});

	it('a key sealed under another SECRET_KEY makes the provider unconfigured, with a clear reason', async () => {
		await updateProviderConfig(
			testDb.handle.db,
			'openai',
			sealApiKey(DB_KEY, env({ SECRET_KEY: 'some-other-secret-key' }))
		);
		const state = (await manager(env(keys)).listStates()).find((s) => s.id === 'openai');
		expect(state).toMatchObject({
			configured: false,
			problem: expect.stringContaining('cannot be decrypted')
		});
	});

	it('caches instances and rebuilds them after a config change, without a restart', async () => {
		const config = env(keys);
		const m = manager(config);
		const first = await m.get('openai');
		expect(await m.get('openai')).toBe(first);
		await updateProviderConfig(testDb.handle.db, 'openai', sealApiKey(DB_KEY, config));
		expect(await m.get('openai')).toBe(first);
		m.invalidate();
		expect(await m.get('openai')).not.toBe(first);
		await updateProviderConfig(testDb.handle.db, 'openai', { enabled: false });
		m.invalidate();
		await expect(m.resolve({ providerId: 'openai' })).rejects.toMatchObject({ code: 'precondition_failed' });
	});

	it('lets a replaced instance finish its stream, then closes its connections', async () => {
		const config = env(keys);
		const m = manager(config);
		const old = await m.resolve({ providerId: 'openai' });
		const request = m.prepareRequest(old, { model: '', messages: [{ role: 'user', content: 'hi' }] });
		const running = old.provider.stream(request, new AbortController().signal)[Symbol.asyncIterator]();
		expect((await running.next()).value).toMatchObject({ type: 'text-delta' });

		await updateProviderConfig(testDb.handle.db, 'openai', sealApiKey(DB_KEY, config));
		m.invalidate();
		expect(await text(m, { providerId: 'openai' })).toBe('Hello from gpt-4.1-mini. You said: hi');
		let rest = '';
		for (let part = await running.next(); !part.done; part = await running.next())
			if (part.value.type === 'text-delta') rest += part.value.text;
		expect(rest.length).toBeGreaterThan(0);
		// The old pool is closed: nothing new goes out with the old configuration's key.
		const late = old.provider.stream(request, new AbortController().signal)[Symbol.asyncIterator]();
		await expect(late.next()).rejects.toBeInstanceOf(ProviderError);
		expect(emus.openai.requests.map((r) => r.headers.authorization)).toEqual([
			`Bearer ${ENV_KEY}`,
			`Bearer ${DB_KEY}`
		]);
	});

	it('reads the settings once for every caller that finds them stale at the same time', async () => {
		const m = manager(env(keys), 50);
		await m.resolve({ providerId: 'openai' });
		await new Promise((r) => setTimeout(r, 60));
		const statements = await countQueries(() =>
			Promise.all(Array.from({ length: 10 }, () => m.resolve({ providerId: 'openai' })))
		);
		// provider_configs, provider_models and model_aliases, once.
		expect(statements).toBe(3);
	});

	it('sees other instances’ edits after the TTL', async () => {
		const m = manager(env(keys), 50);
		expect((await m.resolve({ providerId: 'openai' })).providerId).toBe('openai');
		await updateProviderConfig(testDb.handle.db, 'openai', { enabled: false });
		await new Promise((r) => setTimeout(r, 60));
		await expect(m.resolve({ providerId: 'openai' })).rejects.toMatchObject({ code: 'precondition_failed' });
	});
});

describe('ProviderManager fallbacks and requests', () => {
	it('orders candidates: requested first, then enabled and configured providers by priority', async () => {
		const m = manager(env(keys));
		await m.discoverModels('ollama');
		const chain = await m.candidates({ providerId: 'openai', modelId: 'gpt-4o' }, { grant: null });
		expect(chain.map((c) => [c.providerId, c.model.modelId])).toEqual([
			['openai', 'gpt-4o'],
			['anthropic', 'claude-sonnet-5-5'],
			['ollama', 'llama3.2:1b']
		]);
		// Without OpenAI's key it drops out of the fallbacks.
		expect(
			(await manager(env({ ANTHROPIC_API_KEY: ENV_KEY })).candidates({}, { grant: null })).map(
				(c) => c.providerId
			)
		).toEqual(['anthropic', 'ollama']);
	});

	it('skips a provider cooling down after repeated failures, until it succeeds again', async () => {
		const m = manager(env(keys));
		for (let i = 0; i < 3; i++) m.reportFailure('anthropic', failure('overloaded'));
		expect(m.isCoolingDown('anthropic')).toBe(true);
		expect((await m.candidates({ providerId: 'openai' }, { grant: null })).map((c) => c.providerId)).toEqual([
			'openai'
		]);
		// Asked for by name, it is still tried first.
		expect((await m.candidates({ providerId: 'anthropic' }, { grant: null }))[0].providerId).toBe(
			'anthropic'
		);
		m.reportSuccess('anthropic');
		expect((await m.candidates({ providerId: 'openai' }, { grant: null })).map((c) => c.providerId)).toEqual([
			'openai',
			'anthropic'
		]);
	});

	it('propagates the requested provider’s resolve error', async () => {
		await expect(
			manager(env(keys)).candidates({ providerId: 'nope' }, { grant: null })
		).rejects.toMatchObject({
			code: 'bad_request'
		});
	});

	it('prepares requests from model capabilities: temperature, max tokens, Anthropic’s default', async () => {
		const m = manager(env(keys));
		const base = {
			model: 'x',
			messages: [{ role: 'user' as const, content: 'hi' }],
			temperature: 0.4,
			maxTokens: 1_000_000
		};
		const gpt5 = m.prepareRequest(await m.resolve({ providerId: 'openai', modelId: 'gpt-5' }), base);
		expect(gpt5).toMatchObject({ model: 'gpt-5', maxTokens: 128_000 });
		expect(gpt5).not.toHaveProperty('temperature');
		expect(
			m.prepareRequest(await m.resolve({ providerId: 'openai', modelId: 'gpt-4.1-mini' }), base)
		).toMatchObject({ temperature: 0.4, maxTokens: 32_768 });
		const claude = m.prepareRequest(await m.resolve({ providerId: 'anthropic' }), {
			model: '',
			messages: base.messages
		});
		expect(claude).toMatchObject({ model: 'claude-sonnet-5-5', maxTokens: 4096 });
	});

	it('temperature reaches the wire only for models that allow it', async () => {
		const m = manager(env(keys));
		await text(m, { providerId: 'openai', modelId: 'gpt-5' }, { temperature: 0.4 });
		await text(m, { providerId: 'openai', modelId: 'gpt-4.1-mini' }, { temperature: 0.4 });
		expect(emus.openai.requests[0].body).not.toHaveProperty('temperature');
		expect(emus.openai.requests[1].body).toMatchObject({ temperature: 0.4 });
	});

	it('streams from each kind through the manager', async () => {
		const m = manager(env(keys));
		await m.discoverModels('ollama');
		expect(await text(m, { providerId: 'anthropic' })).toBe('Hello from claude-sonnet-5-5. You said: hi');
		expect(await text(m, { providerId: 'openai' })).toBe('Hello from gpt-4.1-mini. You said: hi');
		expect(await text(m, { providerId: 'ollama' })).toBe('Hello from llama3.2:1b. You said: hi');
	});
});
