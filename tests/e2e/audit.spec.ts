import { AuditPage } from './pages/audit-page';
import { SettingsPage } from './pages/settings-page';
import { memberContext } from './support/accounts';
import { expect, shot, test } from './support/fixtures';

const KEY = 'sk-audit-ui-openai-key-8642';

test('admin actions made in the UI appear in the audit log, filter by action, person and day, never with a key', async ({
	browser,
	page
}) => {
	const { context, email } = await memberContext(browser, 'audit');
	try {
		// The member makes an API token on their account page.
		const member = await context.newPage();
		await member.goto('/account');
		await member.getByLabel('Token name').fill('audit-ci');
		await member.getByRole('button', { name: 'Create token' }).click();
		await expect(member.getByRole('button', { name: 'Revoke audit-ci' })).toBeVisible();

		// The admin sets a provider key, a model price, and disables the member (revoking the token).
		const settings = new SettingsPage(page);
		await settings.goto();
		const openai = settings.card('OpenAI');
		await openai.apiKey.fill(KEY);
		await openai.save.click();
		await expect(openai.apiKey).toHaveAttribute('placeholder', /ending in 8642/);
		await openai.openModels();
		const price = openai.root.getByLabel('Input price of GPT-4.1 mini in dollars per million tokens');
		await price.fill('0.45');
		const saved = page.waitForResponse((r) => r.url().includes('models.update') && r.ok());
		await price.press('Enter');
		await saved;

		await page.goto('/admin/users');
		const memberRow = page.locator('tr', { hasText: email });
		await memberRow.getByRole('button', { name: 'Disable' }).click();
		await expect(memberRow).toContainText('Disabled');

		// The audit page, through the admin's menu.
		await page.getByRole('link', { name: 'Audit log' }).click();
		const audit = new AuditPage(page);
		await audit.expectOpen();
		await expect(audit.row('User disabled', email, 'Disabled', 'no', 'yes')).toHaveCount(1);
		await expect(audit.row('API token revoked', `audit-ci (${email})`)).toHaveCount(1);
		await expect(audit.row('API token created', `audit-ci (${email})`)).toHaveCount(1);
		await expect(audit.row('API key set', 'OpenAI', 'new key').first()).toBeVisible();
		await expect(audit.row('Model prices changed', 'GPT-4.1 mini', '$0.45').first()).toBeVisible();
		expect(await page.content()).not.toContain(KEY);
		await expect(page.locator('body')).not.toContainText('8642');

		// Filters: by action…
		await audit.action.selectOption({ label: 'User disabled' });
		await expect(audit.rows.filter({ hasNotText: 'User disabled' })).toHaveCount(0);
		await expect(audit.row('User disabled', email)).toHaveCount(1);
		// …by who did it (the member made the token, the admin revoked it)…
		await audit.action.selectOption({ label: 'All actions' });
		await audit.who.selectOption({ label: email });
		await expect(audit.rows).toHaveCount(1);
		await expect(audit.rows).toContainText('API token created');
		// …and by day: everything happened today (UTC), nothing yesterday.
		await audit.who.selectOption({ label: 'Everyone' });
		const today = new Date().toISOString().slice(0, 10);
		const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
		await audit.from.fill(today);
		await audit.to.fill(today);
		await expect(audit.row('User disabled', email)).toHaveCount(1);
		await audit.from.fill(yesterday);
		await audit.to.fill(yesterday);
		await expect(page.getByText('Nothing matches these filters.')).toBeVisible();
		await page.getByRole('button', { name: 'Clear filters' }).click();
		await expect(audit.row('User disabled', email)).toHaveCount(1);

		await page.setViewportSize({ width: 1280, height: 900 });
		await shot(page, 'audit-log');

		// On a phone the table scrolls inside its box; the page itself never scrolls sideways.
		await page.setViewportSize({ width: 375, height: 812 });
		await expect(audit.table).toBeVisible();
		const main = page.locator('main');
		expect(await main.evaluate((el) => el.scrollWidth - el.clientWidth)).toBe(0);
		expect(await audit.table.evaluate((el) => el.parentElement!.scrollWidth > 375)).toBe(true);
		await shot(page, 'audit-log-375');
	} finally {
		await context.close();
	}
});
