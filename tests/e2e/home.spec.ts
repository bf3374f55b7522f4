import { expect, test } from '@playwright/test';

test('the server is healthy and a signed-out visitor lands on the sign-in page', async ({
	page,
	request
}) => {
	const health = await request.get('/healthz');
	expect(health.status()).toBe(200);
	expect(await health.json()).toMatchObject({ ok: true, database: { ok: true } });

	const response = await page.goto('/');
	expect(response?.headers()['x-content-type-options']).toBe('nosniff');
	await expect(page).toHaveURL(/\/login$/);
	await expect(page).toHaveTitle(/Switchboard/);
	await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
	await expect(page.getByLabel('Email', { exact: true })).toBeVisible();
});
