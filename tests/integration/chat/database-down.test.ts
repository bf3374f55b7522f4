import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '$lib/server/app';
import { openDatabase } from '$lib/server/db/client';
import { prepareDatabase } from '$lib/server/db/migrate';
import { handleApiRequest } from '$lib/server/http/api-handler';
import { startEmulators, type Emulators } from '../../emulators';
import { createUser, testConfig } from '../../helpers/auth-client';
import { clientFor } from '../../helpers/chat-harness';
import { createScratchPostgres } from '../../helpers/test-database';
import { startTestServer, type TestServer } from '../../helpers/test-server';

describe('the database goes away', () => {
	let emulators: Emulators;
	let server: TestServer;
	beforeAll(async () => {
		emulators = await startEmulators();
	});
	afterAll(async () => {
		await server?.close();
		await emulators.close();
	});

	it('a send gets a clear SERVICE_UNAVAILABLE, the server keeps serving, and no provider is called', async () => {
		const url = process.env.DATABASE_URL ? await createScratchPostgres('db_down') : undefined;
		const database = await openDatabase({ url, dataDir: 'memory://' });
		await prepareDatabase(database);
		const app = createApp({
			config: testConfig({ OPENAI_API_KEY: 'sk-test-down-00000000', OPENAI_BASE_URL: emulators.openai.url }),
			database
		});
		server = await startTestServer((request, address) => handleApiRequest(app, request, address));
		const user = await createUser(app);
		const client = clientFor(server.url, user);
		const chat = await client.chats.create.mutate({ providerId: 'openai', modelId: 'gpt-4.1-mini' });

		await database.close();
		const failure = await client.chats.send
			.mutate({ chatId: chat.id, content: 'hello?' })
			.catch((e: { data: unknown; message: string }) => e);
		expect(failure).toMatchObject({ data: { code: 'SERVICE_UNAVAILABLE', httpStatus: 503 } });
		expect((failure as { message: string }).message).toMatch(/database is unavailable/);
		expect(emulators.openai.requests).toHaveLength(0);
		const again = await client.chats.list.query({}).catch((e: { data: unknown }) => e);
		expect(again).toMatchObject({ data: { code: 'SERVICE_UNAVAILABLE' } });
		// A fresh database of its own (migrations included) is most of this test's time.
	}, 120_000);
});
