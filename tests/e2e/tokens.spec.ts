import { memberContext } from './support/accounts';
import { call } from './support/api';
import { expect, shot, test } from './support/fixtures';

test('a scoped, expiring token made on the account page shows its scope, models, expiry and last use', async ({
	browser,
	page: adminPage
}) => {
	await call(adminPage.request, 'aliases.set', {
		name: 'nightly',
		providerId: 'openai',
		modelId: 'gpt-4.1-mini'
	});
	const { context } = await memberContext(browser, 'tokens');
	try {
		const page = await context.newPage();
		await page.goto('/account');
		// A model list with a typo is refused, naming the entry, and nothing is created.
		await page.getByLabel('Token name').fill('typo');
		await page.getByLabel('Models (optional)').fill('openai/gpt-4.1-mnii');
		await page.getByRole('button', { name: 'Create token' }).click();
		await expect(page.getByText(/No model or alias is called openai\/gpt-4\.1-mnii/)).toBeVisible();
		await expect(page.locator('tr', { hasText: 'typo' })).toHaveCount(0);

		await page.getByLabel('Token name').fill('nightly report');
		await page.getByRole('checkbox', { name: /^chat/ }).uncheck();
		await page.getByRole('checkbox', { name: /^completions/ }).uncheck();
		await page.getByLabel('Expires').selectOption('30');
		await page.getByLabel('Models (optional)').fill('openai/gpt-4.1-mini\nnightly');
		await page.getByRole('button', { name: 'Create token' }).click();
		const token = await page.getByRole('status').locator('code.token').textContent();
		expect(token).toMatch(/^sb_/);

		const row = page.locator('tr', { hasText: 'nightly report' });
		await expect(row.locator('td').nth(2)).toHaveText('read');
		await expect(row.locator('td').nth(3)).toHaveText('openai/gpt-4.1-mini, nightly');
		await expect(row.locator('td').nth(4)).toHaveText('none');
		await expect(row.locator('td').nth(5)).toHaveText(/^\d{4}-\d{2}-\d{2}$/);
		await expect(row.locator('td').nth(6)).toHaveText('never');

		// The token at work (a bearer request), then the page again: its last use, to the minute.
		const me = await page.request.get('/api/trpc/auth.me', { headers: { authorization: `Bearer ${token}` } });
		expect(me.ok()).toBe(true);
		await page.reload();
		await expect(row.locator('td').nth(6)).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
		await row.scrollIntoViewIfNeeded();
		await shot(page, 'account-tokens');

		// Without a scope, nothing is created and the form says why.
		await page.getByLabel('Token name').fill('no scope');
		for (const scope of ['chat', 'completions', 'read']) {
			await page.getByRole('checkbox', { name: new RegExp(`^${scope}`) }).uncheck();
		}
		await page.getByRole('button', { name: 'Create token' }).click();
		await expect(page.getByText('Choose at least one scope')).toBeVisible();
		await expect(page.locator('tr', { hasText: 'no scope' })).toHaveCount(0);
	} finally {
		await context.close();
		await call(adminPage.request, 'aliases.delete', { name: 'nightly' });
	}
});
