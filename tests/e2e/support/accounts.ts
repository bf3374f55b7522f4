import { expect, type Browser, type BrowserContext } from '@playwright/test';
import { appOrigin } from './env';

/**
 * A new member, signed up through the sign-up page like a person would (global-setup.ts made the
 * admin, so this is never the first account), in its own browser context.
 */
export async function memberContext(
	browser: Browser,
	label: string
): Promise<{ context: BrowserContext; email: string }> {
	const email = `${label}-${Date.now()}-${Math.random().toString(36).slice(2, 7)}@e2e.switchboard.test`;
	const context = await browser.newContext({ baseURL: appOrigin, storageState: undefined });
	const page = await context.newPage();
	await page.goto('/signup');
	await page.getByLabel('Name').fill(`Member ${label}`);
	await page.getByLabel('Email', { exact: true }).fill(email);
	await page.getByLabel('Password', { exact: true }).fill('member password, long enough');
	await page.getByRole('button', { name: 'Create account' }).click();
	await expect(page).toHaveURL(/\/$/);
	await page.close();
	return { context, email };
}
