import { describe, expect, it } from 'vitest';
import { useApiServer } from '../../helpers/api-fixture';
import { createUser, errorOf } from '../../helpers/auth-client';

describe('preferences.theme', () => {
	const server = useApiServer();

	it('starts as system, is kept per user, and refuses anything but system, light or dark', async () => {
		const ann = await createUser(server.app);
		const bob = await createUser(server.app);
		const asAnn = server.as(ann).trpc;
		const asBob = server.as(bob).trpc;
		expect(await asAnn.preferences.theme.query()).toBe('system');

		expect(await asAnn.preferences.setTheme.mutate({ theme: 'dark' })).toBe('dark');
		expect(await asAnn.preferences.theme.query()).toBe('dark');
		expect(await asBob.preferences.theme.query()).toBe('system');

		const bad = asAnn.preferences.setTheme.mutate({ theme: 'sepia' as 'dark' });
		expect(await errorOf(bad)).toMatchObject({ code: 'BAD_REQUEST', status: 400 });
		expect(await asAnn.preferences.theme.query()).toBe('dark');
	});

	it('needs a signed-in user', async () => {
		const anonymous = server.client().trpc;
		expect(await errorOf(anonymous.preferences.theme.query())).toMatchObject({ code: 'UNAUTHORIZED' });
		expect(await errorOf(anonymous.preferences.setTheme.mutate({ theme: 'light' }))).toMatchObject({
			code: 'UNAUTHORIZED'
		});
	});
});
