import { ChatPage } from './pages/chat-page';
import { UsagePage } from './pages/usage-page';
import { memberContext } from './support/accounts';
import { call } from './support/api';
import { chatRequests, script } from './support/emulators';
import { expect, shot, test } from './support/fixtures';

/** The first day of next month in UTC, as the refusal names it. */
function resetDay(): string {
	const now = new Date();
	return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString().slice(0, 10);
}

test('a member with a $0.0001 budget gets one answer, then a refusal naming the reset date', async ({
	browser,
	page
}) => {
	const { context, email } = await memberContext(browser, 'budget');
	try {
		const me = await call<{ id: string }>(context.request, 'auth.me', undefined, 'query');
		await call(page.request, 'users.setLimits', {
			userId: me.id,
			monthlyBudgetUsd: 0.0001,
			maxConcurrent: null,
			requestsPerMinute: null
		});
		const member = await context.newPage();
		// 1,000 + 1,000 tokens of GPT-4o mini ($0.15 / $0.60 per million): $0.00075, over the budget.
		await script('openai', { chunks: ['Within budget.'], usage: { inputTokens: 1000, outputTokens: 1000 } });
		const chat = new ChatPage(member);
		await chat.newChat();
		await chat.choose('OpenAI', 'gpt-4o-mini');
		await chat.send('First question');
		await chat.answer().expectStatus('complete');
		await expect(chat.answer().content).toHaveText('Within budget.');

		await chat.send('Second question');
		const refusal = member.getByRole('alert').filter({ hasText: 'Monthly budget used up' });
		await expect(refusal).toBeVisible();
		await expect(refusal).toContainText(`$0.00075 spent of $0.0001. It resets on ${resetDay()} (UTC).`);
		// Refused before any provider call: the emulator never saw the second question.
		const sent = await chatRequests('openai');
		expect(sent.filter((r) => JSON.stringify(r.body).includes('Second question'))).toHaveLength(0);
		await shot(member, 'budget-refused');

		const usage = new UsagePage(member);
		await usage.goto();
		await expect(member.getByTestId('own-budget')).toContainText('$0.0008 of your $0.0001 monthly budget');
		await expect(member.getByTestId('own-budget')).toContainText(`resets on ${resetDay()}`);

		const admin = new UsagePage(page);
		await admin.goto();
		const row = page.getByTestId('budgets-by-user').getByRole('row').filter({ hasText: email });
		await expect(row).toContainText('$0.0008');
		await expect(row).toContainText('$0.0001');
		await page.setViewportSize({ width: 1280, height: 1300 });
		await shot(page, 'budget-usage-admin');
	} finally {
		await context.close();
	}
});
