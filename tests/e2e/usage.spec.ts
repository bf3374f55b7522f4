import { ChatPage } from './pages/chat-page';
import { UsagePage } from './pages/usage-page';
import { memberContext } from './support/accounts';
import { script } from './support/emulators';
import { expect, shot, test } from './support/fixtures';

test('the usage page shows the tokens and cost of the requests made', async ({ browser, page }) => {
	// A fresh member, so the figures are exactly this test's: one answer from Claude Sonnet 4.6
	// ($3 in / $15 out per million tokens) of 1,000 + 500 tokens costs $0.0105.
	const { context, email } = await memberContext(browser, 'usage');
	try {
		const member = await context.newPage();
		await script('anthropic', { usage: { inputTokens: 1000, outputTokens: 500 } });
		const chat = new ChatPage(member);
		await chat.newChat();
		await chat.choose('Anthropic', 'claude-sonnet-4-6');
		await chat.send('What does this cost?');
		await chat.answer().expectStatus('complete');
		await expect(chat.answer().usage).toContainText('1,000 in · 500 out · $0.0105');
		await expect(member.getByTestId('chat-cost')).toHaveText('$0.0105');

		const usage = new UsagePage(member);
		await usage.goto();
		await expect(usage.requests).toHaveText('1');
		await expect(usage.cost).toHaveText('$0.0105');
		await expect(usage.input).toHaveText('1K');
		await expect(usage.output).toHaveText('500');
		await expect(usage.table('Usage by provider')).toContainText('Anthropic');
		await expect(usage.table('Usage by model')).toContainText('Claude Sonnet 4.6');
		await expect(member.locator('canvas')).toHaveCount(4);
		// Members see their own usage only.
		await expect(usage.user).toHaveCount(0);
		await shot(member, 'usage-member');

		// An admin sees everyone, and can pick one person.
		const admin = new UsagePage(page);
		await admin.goto();
		await expect(admin.table('Usage by user')).toContainText(email);
		await admin.user.selectOption({ label: `Member usage (${email})` });
		await expect(admin.requests).toHaveText('1');
		await expect(admin.cost).toHaveText('$0.0105');
		await admin.user.selectOption({ label: 'All users' });
		await expect(admin.table('Usage by user')).toBeVisible();
		await page.setViewportSize({ width: 1280, height: 1300 });
		await shot(page, 'usage-admin');
	} finally {
		await context.close();
	}
});

test('cached tokens show under the answer and on the usage page, priced at the cache rates', async ({
	browser
}) => {
	// Claude Haiku 4.5 ($1 in, $5 out, cache reads $0.10, 5-minute cache writes $1.25 per million):
	// 500 uncached + 10,000 read + 2,000 written input tokens and 200 output tokens cost
	// $0.0005 + $0.001 + $0.0025 + $0.001 = $0.005.
	const { context } = await memberContext(browser, 'usage-cache');
	try {
		const member = await context.newPage();
		await script('anthropic', {
			usage: { inputTokens: 500, outputTokens: 200, cacheReadTokens: 10_000, cacheWriteTokens: 2_000 }
		});
		const chat = new ChatPage(member);
		await chat.newChat();
		await chat.choose('Anthropic', 'claude-haiku-4-5');
		await chat.send('A long conversation, mostly cached.');
		await chat.answer().expectStatus('complete');
		await expect(chat.answer().usage).toContainText('12,500 in');
		await expect(chat.answer().usage).toContainText('(10,000 cached, 2,000 written)');
		await expect(chat.answer().usage).toContainText('$0.005');

		const usage = new UsagePage(member);
		await usage.goto();
		await expect(usage.cost).toHaveText('$0.005');
		await expect(usage.cache).toHaveText('10,000 from cache · 2,000 to cache');
		const byModel = usage.table('Usage by model').getByRole('row', { name: /Claude Haiku 4.5/ });
		await expect(byModel.getByRole('cell')).toHaveText(['1', '12,500', '10,000', '2,000', '200', '$0.005']);
	} finally {
		await context.close();
	}
});
