import { expect, test } from '@playwright/test';

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
