import { call } from './support/api';
import { script } from './support/emulators';
import type { Page } from '@playwright/test';
import { expect, shot, test } from './support/fixtures';

/*
 * Shortcuts listed in the `?` dialog do what they say; the theme switch is remembered with the
 * account; controls clicked right after page.goto (before the scripts took over) are not lost.
 */
/** SvelteKit's entry script: the page hydrates once it has loaded. */
const hydrationEntry = /\/_app\/immutable\/entry\/start\..*\.js$/;

/** Holds the page's hydration back (its entry script waits) until the returned function is called. */
async function holdHydration(page: Page): Promise<() => void> {
	let release = () => {};
	const held = new Promise<void>((resolve) => (release = resolve));
	await page.route(hydrationEntry, async (route) => {
		await held;
		await route.continue();
	});
	return release;
}

test.afterEach(async ({ page }) => {
	await call(page.request, 'preferences.setTheme', { theme: 'system' });
});

test('keyboard shortcuts: help dialog, new chat, search, composer, sidebar, copy last answer', async ({
	page,
	context
}) => {
	await context.grantPermissions(['clipboard-read', 'clipboard-write']);
	await page.goto('/');
	const composer = page.getByLabel('Message', { exact: true });
	await expect(composer).toBeEnabled();

	await page.keyboard.press('Shift+?');
	const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
	await expect(dialog).toBeVisible();
	for (const label of [
		'New chat',
		'Search chats',
		'Focus the message box',
		'Show or hide the sidebar',
		'Copy the last answer'
	]) {
		await expect(dialog.getByRole('rowheader', { name: label })).toBeVisible();
	}
	await shot(page, 'shortcuts-dialog');
	await page.keyboard.press('Escape');
	await expect(dialog).toBeHidden();

	await page.keyboard.press('Control+k');
	await expect(page.getByRole('searchbox', { name: 'Search chats' })).toBeFocused();
	await page.keyboard.press('Shift+Escape');
	await expect(composer).toBeFocused();

	await script('anthropic', { chunks: ['The **answer** ', 'to copy.'] });
	await page.keyboard.type('Write something to copy');
	await page.keyboard.press('Enter');
	await expect(page.getByRole('article').last()).toHaveAttribute('data-status', 'complete');
	await page.locator('body').click({ position: { x: 600, y: 10 } });
	await page.keyboard.press('Alt+Shift+C');
	await expect(page.getByRole('status').filter({ hasText: 'Copied the last answer' })).toBeAttached();
	expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('The **answer** to copy.');

	const sidebar = page.getByRole('complementary', { name: 'Sidebar' });
	await expect(sidebar).toBeVisible();
	await page.keyboard.press('Control+Shift+S');
	await expect(sidebar).toBeHidden();
	await page.keyboard.press('Control+Shift+S');
	await expect(sidebar).toBeVisible();

	await page.keyboard.press('Control+Shift+O');
	await expect(page).toHaveURL(/\/$/);
	await expect(composer).toBeFocused();
});

test('the theme switch applies at once and is remembered with the account, in another browser too', async ({
	page,
	browser
}) => {
	await page.goto('/');
	await page.getByRole('button', { name: 'Dark' }).click();
	await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
	await expect(page.getByRole('button', { name: 'Dark' })).toHaveAttribute('aria-pressed', 'true');
	const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
	expect(background).toBe('rgb(11, 15, 23)');
	await shot(page, 'theme-dark');

	// Another browser signed in as the same person gets it in the server's first HTML.
	const other = await browser.newContext({ storageState: await page.context().storageState() });
	const otherPage = await other.newPage();
	const response = await otherPage.request.get('/usage');
	expect(await response.text()).toContain('data-theme="dark"');
	await otherPage.goto('/usage');
	await otherPage.getByRole('button', { name: 'Light' }).click();
	await expect(otherPage.locator('html')).toHaveAttribute('data-theme', 'light');
	await other.close();

	await page.reload();
	await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
	await expect(page.getByRole('button', { name: 'Light' })).toHaveAttribute('aria-pressed', 'true');
});

test('the theme switch works with JavaScript off (a form post)', async ({ browser }) => {
	const context = await browser.newContext({
		storageState: 'tests/e2e/.artifacts/admin-state.json',
		javaScriptEnabled: false
	});
	const page = await context.newPage();
	await page.goto('/usage');
	await page.getByRole('button', { name: 'Dark' }).click();
	await expect(page).toHaveURL(/\/usage$/);
	await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
	await context.close();
});

test('controls clicked right after page.goto work (before hydration they wait, disabled)', async ({
	page
}) => {
	// Hydration is held back until the test lets it go: what the person sees before the scripts run.
	const release = await holdHydration(page);
	await page.goto('/', { waitUntil: 'commit' });
	const shortcuts = page.getByRole('button', { name: 'Keyboard shortcuts' });
	await expect(shortcuts).toBeDisabled();
	await expect(page.getByLabel('Message', { exact: true })).toBeDisabled();
	await expect(page.getByRole('searchbox', { name: 'Search chats' })).toBeDisabled();
	await shot(page, 'before-hydration');
	release();
	// Clicked at once: Playwright waits for the button to be enabled, then the click does its job.
	await shortcuts.click();
	await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
	await page.keyboard.press('Escape');

	// Each page's first control, clicked as soon as the page is there, without waiting for the network.
	await page.unroute(hydrationEntry);
	await page.goto('/settings/providers');
	const openai = page.getByRole('region', { name: 'OpenAI' });
	await openai.getByRole('button', { name: 'Refresh models' }).click();
	await expect(openai.getByTestId('refresh-result')).toContainText('Models refreshed');

	await page.goto('/usage');
	await page.getByLabel('Period').selectOption({ index: 0 });
	await expect(page.getByLabel('Period')).toBeEnabled();
});

test("the account page's export and import wait for the page's scripts, disabled", async ({ page }) => {
	// A file picked before hydration would be dropped with no word: the input is disabled until then.
	const release = await holdHydration(page);
	await page.goto('/account', { waitUntil: 'commit' });
	await expect(page.getByTestId('import-file')).toBeDisabled();
	await expect(page.getByLabel('Export all chats')).toBeDisabled();
	release();
	await expect(page.getByTestId('import-file')).toBeEnabled();
	await expect(page.getByLabel('Export all chats')).toBeEnabled();
});
