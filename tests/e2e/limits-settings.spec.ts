import { AuditPage } from './pages/audit-page';
import { SettingsPage } from './pages/settings-page';
import { memberContext } from './support/accounts';
import { expect, shot, test } from './support/fixtures';

test("an admin sets the members' budget and caps in Settings; they stay after a reload and reach the audit log", async ({
	page
}) => {
	const settings = new SettingsPage(page);
	await settings.goto();
	const limits = page.getByRole('region', { name: 'Budgets and limits' });
	const budget = limits.getByLabel("Members' monthly budget (USD)");
	const members = limits.getByRole('group', { name: 'Members' });
	const membersAtOnce = members.getByLabel('Answers at once');
	const save = limits.getByRole('button', { name: 'Save limits' });
	// The built-in default shows where the field is empty.
	await expect(membersAtOnce).toHaveAttribute('placeholder', '3');
	try {
		await budget.fill('25');
		await membersAtOnce.fill('2');
		await save.click();
		await expect(limits.getByRole('status')).toHaveText(/Saved/);
		await limits.scrollIntoViewIfNeeded();
		await shot(page, 'settings-limits');

		await page.reload();
		await expect(budget).toHaveValue('25');
		await expect(membersAtOnce).toHaveValue('2');
		await expect(limits.getByRole('group', { name: 'Admins' }).getByLabel('Answers at once')).toHaveValue('');

		await page.goto('/admin/audit');
		const audit = new AuditPage(page);
		await expect(
			audit.row('Budgets and limits changed', "Members' monthly budget", 'none', '$25')
		).toHaveCount(1);
		await expect(
			audit.row('Budgets and limits changed', "Members' answers at once", 'default', '2')
		).toHaveCount(1);
	} finally {
		// Back to the defaults, for the specs after this one.
		await settings.goto();
		await budget.fill('');
		await membersAtOnce.fill('');
		await save.click();
		await expect(limits.getByRole('status')).toHaveText(/Saved/);
	}
});

test("an admin sets one member's own budget and caps on the Users page", async ({ browser, page }) => {
	const { context, email } = await memberContext(browser, 'caps');
	try {
		await page.goto('/admin/users');
		const budget = page.getByLabel(`Monthly budget in USD for ${email}`);
		const perMinute = page.getByLabel(`Requests a minute for ${email}`);
		await budget.fill('0.5');
		await perMinute.fill('12');
		await page.getByRole('button', { name: `Save limits for ${email}` }).click();
		await expect(page.getByText(`Updated ${email}.`)).toBeVisible();

		await page.reload();
		await expect(budget).toHaveValue('0.5');
		await expect(perMinute).toHaveValue('12');
		await expect(page.getByLabel(`Answers at once for ${email}`)).toHaveValue('');

		await page.goto('/admin/audit');
		const audit = new AuditPage(page);
		await expect(audit.row('User budget or caps changed', email, 'Monthly budget', '$0.5')).toHaveCount(1);
		await expect(audit.row('User budget or caps changed', email, 'Requests a minute', '12')).toHaveCount(1);
	} finally {
		await context.close();
	}
});
