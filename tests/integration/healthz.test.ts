import { describe, expect, it } from 'vitest';
import type { RequestEvent } from '@sveltejs/kit';
import { GET } from '../../src/routes/healthz/+server';
import { openDatabase } from '$lib/server/db/client';
import { createApp } from '$lib/server/app';
import { testConfig } from '../helpers/auth-client';
import { createScratchPostgres } from '../helpers/test-database';

type HealthEvent = Parameters<typeof GET>[0];

describe('GET /healthz', () => {
	it('answers 200 with the database ok, and 503 once the database is unreachable', async () => {
		const url = process.env.DATABASE_URL ? await createScratchPostgres('healthz') : undefined;
		const database = await openDatabase({ url, dataDir: 'memory://' });
		// One process (no Redis): the database alone decides; tests/integration/scale covers Redis.
		const app = createApp({ config: testConfig({ REDIS_URL: undefined }), database });
		const event = { locals: { app, user: null } } as unknown as HealthEvent & RequestEvent;

		const ok = await GET(event);
		expect(ok.status).toBe(200);
		expect(await ok.json()).toMatchObject({ ok: true, database: { ok: true, driver: database.driver } });

		await database.close();
		const down = await GET(event);
		expect(down.status).toBe(503);
		expect(await down.json()).toEqual({ ok: false, database: { ok: false } });
	});
});
