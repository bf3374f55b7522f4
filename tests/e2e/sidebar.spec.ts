import { call } from './support/api';
import { expect, shot, test } from './support/fixtures';

// A laptop's window: 1366 × 768 less the browser's own bars.
test.use({ viewport: { width: 1366, height: 650 } });

test('the chat settings panel stays as it was left, so a short window can give the sidebar to the chats', async ({
	page
}) => {
	const title = `Sidebar check ${Date.now()}`;
	await call(page.request, 'chats.create', { title });
	await page.goto('/');
	const sidebar = page.getByRole('complementary', { name: 'Sidebar' });
	const panel = sidebar.locator('details.settings');
	const chatLink = sidebar.getByRole('link', { name: title });
	await expect(panel).toHaveAttribute('open', '');
	await expect(sidebar.getByLabel('Provider', { exact: true })).toBeVisible();

	await panel.locator(':scope > summary').click();
	await expect(panel).not.toHaveAttribute('open');
	await expect(chatLink).toBeInViewport();

	// Rendered closed by the server on the next load: it never opens first and closes after.
	const html = await (await page.request.get('/')).text();
	expect(html).toMatch(/<details class="settings[^"]*"(?![^>]*\bopen\b)[^>]*>/);
	await page.reload();
	await expect(panel).not.toHaveAttribute('open');
	await expect(chatLink).toBeInViewport();
	await shot(page, 'sidebar-settings-closed');

	// Opened again, it stays open.
	await panel.locator(':scope > summary').click();
	await expect(panel).toHaveAttribute('open', '');
	await page.reload();
	await expect(panel).toHaveAttribute('open', '');
});
