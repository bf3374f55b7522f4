import { ChatPage } from './pages/chat-page';
import { call } from './support/api';
import { expect, shot, test } from './support/fixtures';

test.afterEach(async ({ page }) => {
	await call(page.request, 'aliases.delete', { name: 'fast' }).catch(() => undefined);
});

test('a chat on the alias fast follows it when an admin repoints it', async ({ page }) => {
	await call(page.request, 'aliases.set', { name: 'fast', providerId: 'openai', modelId: 'gpt-4.1-mini' });
	const chat = new ChatPage(page);
	await chat.newChat();

	// The picker offers the alias with where it points, and keeps the alias (not its target) as the choice.
	const option = chat.model.locator('option[data-alias="fast"]');
	await expect(option).toHaveText(/^fast → OpenAI · /);
	await chat.model.selectOption({ label: (await option.textContent()) ?? '' });
	await expect(chat.model.locator('option:checked')).toHaveText(/^fast → OpenAI/);
	await expect(chat.provider.locator('option:checked')).toHaveText('OpenAI');
	await expect(page.getByTestId('alias-target')).toContainText('Alias fast: answers come from OpenAI');

	await chat.send('Who answers fast?');
	await chat.answer(0).expectStatus('complete');
	await chat.answer(0).expectModel('OpenAI', 'gpt-4.1-mini');
	const header = page.getByTestId('chat-model');
	await expect(header).toContainText('fast →');
	await expect(header).toContainText('OpenAI');
	await shot(page, 'chat-alias');

	// An admin repoints the alias (another client: the API). The next message of this chat follows it.
	await call(page.request, 'aliases.set', {
		name: 'fast',
		providerId: 'anthropic',
		modelId: 'claude-haiku-4-5'
	});
	await chat.send('And now?');
	await chat.answer(1).expectStatus('complete');
	await chat.answer(1).expectModel('Anthropic', 'claude-haiku-4-5');
	// The first answer keeps the model that wrote it; the header shows where the alias points now.
	await chat.answer(0).expectModel('OpenAI', 'gpt-4.1-mini');
	await expect(header).toContainText('fast →');
	await expect(header).toContainText('Anthropic');

	// After a reload the chat is still on the alias.
	await page.reload();
	await expect(chat.model.locator('option:checked')).toHaveText(/^fast → Anthropic/);
});
