import { describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { openDatabase, type Db } from '$lib/server/db/client';
import { selectRows } from '$lib/server/db/select-rows';
import { prepareDatabase } from '$lib/server/db/migrate';
import { seed } from '$lib/server/db/seed';
import { providerConfigs, providerModels } from '$lib/server/db/schema';
import { seedModels, seedProviders } from '$lib/server/db/seed-catalog';
import { createScratchPostgres, useTestDatabase } from '../helpers/test-database';

const allTables = [
	'api_tokens',
	'app_settings',
	'attachment_blobs',
	'attachments',
	'audit_log',
	'chats',
	'messages',
	'model_aliases',
	'provider_configs',
	'provider_models',
	'provider_usage',
	'sessions',
	'users'
];

async function tableNames(db: Db) {
	const rows = await selectRows<{ table_name: string }>(
		db,
		sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`
	);
	return rows.map((r) => r.table_name);
}

describe('migrations', () => {
	it('create every table on an empty database, and a second run changes nothing', async () => {
		const url = process.env.DATABASE_URL ? await createScratchPostgres('migrate_empty') : undefined;
		const handle = await openDatabase({ url, dataDir: 'memory://' });
		try {
			expect(await tableNames(handle.db)).toEqual([]);
			await prepareDatabase(handle);
			expect(await tableNames(handle.db)).toEqual(allTables);
			await prepareDatabase(handle);
			const providers = await handle.db.select().from(providerConfigs);
			expect(providers.map((p) => p.id).sort()).toEqual(['anthropic', 'ollama', 'openai']);
		} finally {
			await handle.close();
		}
		// A fresh database of its own, migrated twice.
	}, 120_000);
});

describe('seed', () => {
	const testDb = useTestDatabase();

	it('inserts the providers and the model catalog with prices', async () => {
		const { db } = testDb.handle;
		expect(await db.select().from(providerConfigs)).toHaveLength(seedProviders.length);
		const models = await db.select().from(providerModels);
		expect(models).toHaveLength(seedModels.length);
		const sonnet = models.find((m) => m.modelId === 'claude-sonnet-4-5');
		expect(sonnet).toMatchObject({ providerId: 'anthropic', contextWindow: 200_000, source: 'seed' });
		expect(Number(sonnet?.inputPricePerMTok)).toBe(3);
	});

	it('is idempotent and keeps what an admin changed', async () => {
		const { db } = testDb.handle;
		await db
			.update(providerConfigs)
			.set({ enabled: false, priority: 5 })
			.where(eq(providerConfigs.id, 'openai'));
		await db
			.update(providerModels)
			.set({ outputPricePerMTok: '99' })
			.where(eq(providerModels.modelId, 'gpt-4.1'));
		await seed(db);
		await seed(db);
		expect(await db.select().from(providerConfigs)).toHaveLength(seedProviders.length);
		expect(await db.select().from(providerModels)).toHaveLength(seedModels.length);
		const [openai] = await db.select().from(providerConfigs).where(eq(providerConfigs.id, 'openai'));
		expect(openai).toMatchObject({ enabled: false, priority: 5 });
		const [gpt] = await db.select().from(providerModels).where(eq(providerModels.modelId, 'gpt-4.1'));
		expect(Number(gpt.outputPricePerMTok)).toBe(99);
	});

	it("fills the catalog's cache prices into models seeded before them, not into ones an admin repriced", async () => {
		const { db } = testDb.handle;
		const model = (modelId: string) => eq(providerModels.modelId, modelId);
		const unpriced = { cacheReadPricePerMTok: null, cacheWritePricePerMTok: null };
		await db.update(providerModels).set(unpriced).where(model('claude-haiku-4-5'));
		await db
			.update(providerModels)
			.set({ ...unpriced, inputPricePerMTok: '0.9' })
			.where(model('gpt-4.1'));
		await seed(db);
		const [haiku] = await db.select().from(providerModels).where(model('claude-haiku-4-5'));
		expect([Number(haiku.cacheReadPricePerMTok), Number(haiku.cacheWritePricePerMTok)]).toEqual([0.1, 1.25]);
		expect(haiku.capabilities.promptCaching).toBe(true);
		const [gpt] = await db.select().from(providerModels).where(model('gpt-4.1'));
		expect(gpt).toMatchObject(unpriced);
	});
});
