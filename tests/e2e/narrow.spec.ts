import { appPages, signedOutPages, type AppPage } from './support/pages';
import { overflowProblems } from './support/page-checks';
import { expect, shot, test } from './support/fixtures';

/*
 * Every page at 375 px (a small phone): nothing makes the page scroll sideways and nothing is cut
 * off at the edge; wide tables and code scroll inside their own box.
 */
test.use({ viewport: { width: 375, height: 740 } });

async function check(page: import('@playwright/test').Page, target: AppPage) {
	await page.goto(target.path);
	await expect(page.locator('[aria-busy="true"], .loading')).toHaveCount(0);
	expect.soft(await overflowProblems(page), target.name).toEqual([]);
	await shot(page, `375-${target.name.replace(/\s+/g, '-')}`);
}

test('every signed-in page fits 375 px', async ({ page }) => {
	for (const target of await appPages(page.request)) await check(page, target);
	// The sidebar, opened from the menu button, fits too.
	await page.goto('/');
	await page.getByRole('button', { name: 'Open sidebar' }).click();
	const sidebar = page.getByRole('complementary', { name: 'Sidebar' });
	await expect(sidebar).toBeInViewport();
	// It slides in: measured mid-slide, its contents would start left of the screen. The slide is a
	// transition on the box around it, so wait until no transition on the page is running (one can be
	// cancelled and replaced meanwhile, so its own end is not the thing to await; a spinner's animation
	// is not a transition).
	await page.waitForFunction(
		() => !document.getAnimations().some((a) => a instanceof CSSTransition && a.playState === 'running')
	);
	expect(await overflowProblems(page), 'sidebar').toEqual([]);
	await shot(page, '375-sidebar');
});

test('the sign-in pages fit 375 px', async ({ browser }) => {
	const context = await browser.newContext({
		storageState: undefined,
		viewport: { width: 375, height: 740 }
	});
	const page = await context.newPage();
	for (const target of signedOutPages) await check(page, target);
	await context.close();
});

test('a wide table scrolls inside its own box, not the page', async ({ page }) => {
	await page.goto('/admin/users');
	const box = page.getByRole('region', { name: 'Users' });
	await expect(box).toBeVisible();
	const sizes = await box.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
	expect(sizes.scroll).toBeGreaterThan(sizes.client);
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
});
