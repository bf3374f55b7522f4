import { mkdirSync } from 'node:fs';
import { test as base, expect, type Page } from '@playwright/test';
import { configureProviders } from './api';
import { adminStatePath, screenshotDir } from './env';
import { resetEmulators } from './emulators';

/** Specs run as the e2e admin, with the providers pointed at the emulators and fresh emulator state. */
export const test = base.extend<{ providersReady: void }>({
	// eslint-disable-next-line no-empty-pattern -- Playwright requires an object pattern here
	storageState: async ({}, use) => use(adminStatePath),
	providersReady: [
		async ({ page }, use) => {
			await resetEmulators();
			await configureProviders(page.request);
			await use();
		},
		{ auto: true }
	]
});

export { expect };

/** Saves a screenshot of a main screen as a test artifact (test-results/screenshots, gitignored). */
export async function shot(page: Page, name: string): Promise<void> {
	mkdirSync(screenshotDir, { recursive: true });
	await page.screenshot({ path: `${screenshotDir}/${name}.png`, fullPage: false });
}
