import { expect, test } from '@playwright/test';

test('the home page shows the app shell', async ({ page, request }) => {
	const health = await request.get('/healthz');
	expect(health.status()).toBe(200);
	expect(await health.json()).toMatchObject({ ok: true, database: { ok: true } });

	await page.goto('/');
	await expect(page).toHaveTitle(/Switchboard/);
	await expect(
		page.getByRole('navigation', { name: 'Main navigation' }).or(page.getByRole('main'))
	).toBeVisible();
});
