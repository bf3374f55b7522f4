import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../helpers/test-database';
import {
	createApiClient,
	createUser,
	errorOf,
	startApiServer,
	type ApiServer
} from '../../helpers/auth-client';

describe('preferences.theme', () => {
	const testDb = useTestDatabase();
	let server: ApiServer;

	beforeEach(async () => {
		server = await startApiServer(testDb.handle);
	});
	afterEach(() => server.close());

	it('starts as system, is kept per user, and refuses anything but system, light or dark', async () => {
		const ann = await createUser(server.app);
		const bob = await createUser(server.app);
		const asAnn = createApiClient(server.url, { cookie: ann.cookie }).trpc;
		const asBob = createApiClient(server.url, { cookie: bob.cookie }).trpc;
		expect(await asAnn.preferences.theme.query()).toBe('system');

		expect(await asAnn.preferences.setTheme.mutate({ theme: 'dark' })).toBe('dark');
		expect(await asAnn.preferences.theme.query()).toBe('dark');
		expect(await asBob.preferences.theme.query()).toBe('system');

		const bad = asAnn.preferences.setTheme.mutate({ theme: 'sepia' as 'dark' });
		expect(await errorOf(bad)).toMatchObject({ code: 'BAD_REQUEST', status: 400 });
		expect(await asAnn.preferences.theme.query()).toBe('dark');
	});

	it('needs a signed-in user', async () => {
		const anonymous = createApiClient(server.url).trpc;
		expect(await errorOf(anonymous.preferences.theme.query())).toMatchObject({ code: 'UNAUTHORIZED' });
		expect(await errorOf(anonymous.preferences.setTheme.mutate({ theme: 'light' }))).toMatchObject({
			code: 'UNAUTHORIZED'
		});
	});
});
