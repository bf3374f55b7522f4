import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '$lib/server/app';
import { openDatabase, type DatabaseHandle } from '$lib/server/db/client';
import { prepareDatabase } from '$lib/server/db/migrate';
import { handleApiRequest } from '$lib/server/http/api-handler';
import { log } from '$lib/server/log';
import { createUser, testConfig } from '../../helpers/auth-client';
import { createScratchPostgres } from '../../helpers/test-database';
import { startTestServer, type TestServer } from '../../helpers/test-server';

/*
 * A failure while the request's context is built (here: authentication's query fails for a reason
 * that is not an outage) is answered and logged with the request's id, like any procedure's error.
 * A database of its own: the test breaks it.
 */
describe('an error while building the context', () => {
	let database: DatabaseHandle | undefined;
	let server: TestServer | undefined;
	afterEach(async () => {
		vi.restoreAllMocks();
		await server?.close();
		await database?.close();
	});

	it('names the request id in the response and in the log line', { timeout: 120_000 }, async () => {
		const url = process.env.DATABASE_URL ? await createScratchPostgres('context_errors') : undefined;
		database = await openDatabase({ url, dataDir: 'memory://' });
		await prepareDatabase(database);
		const app = createApp({ config: testConfig(), database });
		const running = await startTestServer((request, address) => handleApiRequest(app, request, address));
		server = running;
		const user = await createUser(app);
		await database.db.execute(sql`drop table sessions cascade`);
		const logged = vi.spyOn(log, 'error').mockImplementation(() => {});

		const response = await fetch(`${running.url}/api/trpc/auth.me`, {
			headers: { cookie: user.cookie, 'x-request-id': 'context-failure-0001' }
		});
		expect(response.status).toBe(500);
		expect((await response.json()).error.json).toMatchObject({
			message: 'Something went wrong on the server.',
			data: { code: 'INTERNAL_SERVER_ERROR', requestId: 'context-failure-0001' }
		});
		expect(logged).toHaveBeenCalledWith(
			'internal error',
			expect.objectContaining({ requestId: 'context-failure-0001' })
		);
	});
});
