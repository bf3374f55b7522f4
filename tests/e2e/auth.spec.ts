import { expect, test } from '@playwright/test';
import { shot } from './support/fixtures';
import { freshDatabase, killSpawnedApps, spawnApp, spawnedPort } from './support/spawned-app';

// Other e2e files share this server and database: a unique email, and no assumption about
// being the first account (the role shown may be admin or member).
const email = `e2e-auth-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
const password = 'a long enough e2e password';

test('sign up, sign out, sign in', async ({ page }) => {
	await page.goto('/');
	await expect(page).toHaveURL(/\/login$/);
	await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();

	await page.getByRole('link', { name: 'Create an account' }).click();
	await expect(page).toHaveURL(/\/signup$/);
	await page.getByLabel('Name').fill('E2E Tester');
	await page.getByLabel('Email', { exact: true }).fill(email);
	await page.getByLabel('Password', { exact: true }).fill(password);
	await page.getByRole('button', { name: 'Create account' }).click();

	await expect(page).toHaveURL(/\/$/);
	await expect(page.getByText('E2E Tester')).toBeVisible();
	await expect(page.getByText(email)).toBeVisible();

	await page.getByRole('button', { name: 'Sign out' }).click();
	await expect(page).toHaveURL(/\/login$/);
	// The app's pages are closed again.
	await page.goto('/account');
	await expect(page).toHaveURL(/\/login\?next=%2Faccount$/);

	// A wrong password first: one clear message, the email kept, the password cleared.
	await page.getByLabel('Email', { exact: true }).fill(email.toUpperCase());
	await page.getByLabel('Password', { exact: true }).fill('not the password');
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByRole('alert')).toHaveText('Incorrect email or password.');
	await expect(page.getByLabel('Email', { exact: true })).toHaveValue(email.toUpperCase());
	await expect(page.getByLabel('Password', { exact: true })).toHaveValue('');

	await page.getByLabel('Password', { exact: true }).fill(password);
	await page.getByRole('button', { name: 'Sign in' }).click();
	// Back where the redirect came from.
	await expect(page).toHaveURL(/\/account$/);
	await expect(page.getByRole('heading', { name: 'Account' })).toBeVisible();
	await expect(page.getByText(email).first()).toBeVisible();
});

test.describe('a first start', () => {
	test.setTimeout(180_000);
	test.afterEach(() => killSpawnedApps());

	test('sends the first visitor to create the admin account, then signs them in as admin', async ({
		page
	}) => {
		// An app of its own: the shared one has had its first account since global setup.
		const app = await spawnApp({ port: spawnedPort(6), database: await freshDatabase('first_run') });
		await page.goto(`${app.origin}/`);
		// No one can sign in yet, so the sign-in form is skipped.
		await expect(page).toHaveURL(`${app.origin}/signup`);
		await expect(
			page.getByText('Set up Switchboard for your team, starting with your own account.')
		).toBeVisible();
		await expect(page.getByText('The first account becomes the admin.')).toBeVisible();
		await expect(page.getByRole('link', { name: 'Sign in' })).toHaveCount(0);
		await shot(page, 'first-run-signup');

		await page.getByLabel('Name').fill('First Admin');
		await page.getByLabel('Email', { exact: true }).fill('first-admin@e2e.switchboard.test');
		await page.getByLabel('Password', { exact: true }).fill('the first admin password');
		await page.getByRole('button', { name: 'Create account' }).click();
		await expect(page).toHaveURL(`${app.origin}/`);
		await expect(page.getByText('First Admin')).toBeVisible();
		await expect(page.getByText('Admin', { exact: true })).toBeVisible();
		// What to do next: an admin with no provider yet is shown where to set one up.
		await expect(page.getByRole('heading', { name: 'Connect a model provider' })).toBeVisible();

		// From now on /login is the sign-in form again.
		await page.getByRole('button', { name: 'Sign out' }).click();
		await expect(page).toHaveURL(`${app.origin}/login`);
		await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
	});
});
