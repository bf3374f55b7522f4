import { appPages, signedOutPages, type AppPage } from './support/pages';
import { seriousViolations } from './support/page-checks';
import { expect, shot, test } from './support/fixtures';

/*
 * axe-core on every page, in the light and the dark scheme: no serious or critical violation
 * (contrast, names, headings, landmarks). The pages follow the device (theme "system"), so the
 * emulated colour scheme picks which one is checked.
 */
const schemes = ['light', 'dark'] as const;

async function check(
	page: import('@playwright/test').Page,
	target: AppPage,
	scheme: (typeof schemes)[number]
) {
	await page.emulateMedia({ colorScheme: scheme });
	await page.goto(target.path);
	// The page's own data is in (the sidebar's chat list is the last thing to load).
	await expect(page.locator('[aria-busy="true"], .loading')).toHaveCount(0);
	expect.soft(await seriousViolations(page), `${target.name} (${scheme})`).toEqual([]);
	await shot(page, `a11y-${target.name.replace(/\s+/g, '-')}-${scheme}`);
}

test('every signed-in page has no serious or critical axe violation, light and dark', async ({ page }) => {
	// Eight pages, two schemes, a full axe run each.
	test.setTimeout(240_000);
	const pages = await appPages(page.request);
	for (const scheme of schemes) {
		for (const target of pages) await check(page, target, scheme);
	}
});

test('the sign-in pages have no serious or critical axe violation, light and dark', async ({ browser }) => {
	const context = await browser.newContext({ storageState: undefined });
	const page = await context.newPage();
	for (const scheme of schemes) {
		for (const target of signedOutPages) await check(page, target, scheme);
	}
	await context.close();
});

test('a streaming answer is announced politely, once, not token by token', async ({ page }) => {
	await page.goto('/');
	const log = page.getByRole('log', { name: 'Messages' });
	const status = page.getByTestId('answer-announcer');
	await page.getByLabel('Message', { exact: true }).fill('Say something');
	await page.getByLabel('Message', { exact: true }).press('Enter');
	await expect(log).toHaveAttribute('aria-live', 'off');
	await expect(status).toHaveAttribute('aria-live', 'polite');
	await expect(status).toHaveText(/^Answer from Anthropic: Hello from/);
});
