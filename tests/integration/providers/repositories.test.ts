import { describe, expect, it } from 'vitest';
import {
	getModel,
	listModels,
	updateModel,
	upsertDiscoveredModels
} from '$lib/server/db/repositories/model-repository';
import {
	getProviderConfig,
	listProviderConfigs,
	updateProviderConfig
} from '$lib/server/db/repositories/provider-repository';
import { useTestDatabase } from '../../helpers/test-database';

const testDb = useTestDatabase();

describe('provider repository', () => {
	it('lists providers in fallback order', async () => {
		expect((await listProviderConfigs(testDb.handle.db)).map((p) => p.id)).toEqual([
			'anthropic',
			'openai',
			'ollama'
		]);
	});

	it('keeps a single default, merges settings and returns undefined for unknown ids', async () => {
		const { db } = testDb.handle;
		await updateProviderConfig(db, 'anthropic', { isDefault: true, settings: { a: 1 } });
		const row = await updateProviderConfig(db, 'openai', {
			isDefault: true,
			priority: 5,
			settings: { allowPrivateNetwork: true }
		});
		expect(row).toMatchObject({ isDefault: true, priority: 5, settings: { allowPrivateNetwork: true } });
		expect((await getProviderConfig(db, 'anthropic'))?.isDefault).toBe(false);
		const merged = await updateProviderConfig(db, 'anthropic', { settings: { b: 2 } });
		expect(merged?.settings).toEqual({ a: 1, b: 2 });
		expect(await updateProviderConfig(db, 'nope', { enabled: false })).toBeUndefined();
		expect((await listProviderConfigs(db)).map((p) => p.id)).toEqual(['openai', 'anthropic', 'ollama']);
	});

	it('stores and clears sealed keys', async () => {
		const { db } = testDb.handle;
		await updateProviderConfig(db, 'openai', { apiKeyEncrypted: 'v1.x.y.z', apiKeyHint: '1234' });
		expect(await getProviderConfig(db, 'openai')).toMatchObject({
			apiKeyEncrypted: 'v1.x.y.z',
			apiKeyHint: '1234'
		});
		await updateProviderConfig(db, 'openai', { apiKeyEncrypted: null, apiKeyHint: null });
		expect(await getProviderConfig(db, 'openai')).toMatchObject({ apiKeyEncrypted: null, apiKeyHint: null });
	});
});

describe('model repository', () => {
	it('filters by provider and enabled', async () => {
		const { db } = testDb.handle;
		await updateModel(db, 'openai', 'gpt-4o', { enabled: false });
		const openai = await listModels(db, { providerId: 'openai' });
		expect(openai.every((m) => m.providerId === 'openai')).toBe(true);
		const enabled = await listModels(db, { providerId: 'openai', enabled: true });
		expect(enabled).toHaveLength(openai.length - 1);
		expect(await getModel(db, 'openai', 'gpt-4o')).toMatchObject({ enabled: false });
		expect(await getModel(db, 'openai', 'nope')).toBeUndefined();
	});

	it('upserts discovered models without touching admin prices, and counts added / updated / missing', async () => {
		const { db } = testDb.handle;
		await updateModel(db, 'anthropic', 'claude-sonnet-4-5', {
			inputPricePerMTok: 2.5,
			outputPricePerMTok: null,
			supportsTemperature: false
		});
		const now = new Date('2026-11-01T00:00:00Z');
		const counts = await upsertDiscoveredModels(
			db,
			'anthropic',
			[
				{ modelId: 'claude-sonnet-4-5', displayName: 'Renamed', contextWindow: 1 },
				{ modelId: 'claude-haiku-4-5', displayName: 'Claude Haiku 4.5' },
				{
					modelId: 'claude-new-5',
					displayName: 'Claude New 5',
					contextWindow: 300_000,
					maxOutputTokens: 8_000
				}
			],
			{ capabilities: { temperature: true, vision: true }, now }
		);
		expect(counts).toEqual({ added: 1, updated: 2, missing: 4 });
		const sonnet = await getModel(db, 'anthropic', 'claude-sonnet-4-5');
		expect(sonnet).toMatchObject({
			displayName: 'Claude Sonnet 4.5',
			contextWindow: 200_000,
			source: 'seed',
			lastSeenAt: now,
			capabilities: { temperature: false }
		});
		expect(Number(sonnet?.inputPricePerMTok)).toBe(2.5);
		expect(sonnet?.outputPricePerMTok).toBeNull();
		expect(await getModel(db, 'anthropic', 'claude-new-5')).toMatchObject({
			source: 'discovered',
			enabled: true,
			contextWindow: 300_000,
			maxOutputTokens: 8_000,
			inputPricePerMTok: null,
			capabilities: { temperature: true, vision: true },
			lastSeenAt: now
		});
		expect((await getModel(db, 'anthropic', 'claude-opus-5-5'))?.lastSeenAt).toBeNull();
	});

	it('updates a model and returns undefined for an unknown one', async () => {
		const { db } = testDb.handle;
		const row = await updateModel(db, 'openai', 'gpt-5', {
			contextWindow: 100,
			maxOutputTokens: 50,
			supportsTemperature: true,
			displayName: 'Five'
		});
		expect(row).toMatchObject({
			contextWindow: 100,
			maxOutputTokens: 50,
			displayName: 'Five',
			capabilities: { temperature: true, reasoning: true }
		});
		expect(await updateModel(db, 'openai', 'nope', { enabled: false })).toBeUndefined();
	});
});
