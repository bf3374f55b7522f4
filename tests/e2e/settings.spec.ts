import { ChatPage } from './pages/chat-page';
import { SettingsPage } from './pages/settings-page';
import { memberContext } from './support/accounts';
import { call } from './support/api';
import { emulatorBaseUrl } from './support/env';
import { script } from './support/emulators';
import { expect, shot, test } from './support/fixtures';

test('an admin sets up a provider against the emulator: key, base URL, test, models, prices', async ({
	page
}) => {
	// Start from a provider with nothing configured.
	await call(page.request, 'providers.update', { providerId: 'openai', apiKey: null, baseUrl: null });
	const settings = new SettingsPage(page);
	await settings.goto();
	const openai = settings.card('OpenAI');
	await expect(openai.status).toHaveText('Not set up');

	await openai.apiKey.fill('sk-ui-openai-key-5678');
	await openai.baseUrl.fill(emulatorBaseUrl('openai'));
	await openai.allowPrivate.check();
	await openai.save.click();
	await expect(openai.status).toHaveText('Ready');
	await expect(openai.apiKey).toHaveValue('');
	await expect(openai.apiKey).toHaveAttribute('placeholder', /ending in 5678/);
	// Write-only: the key is not in the page, only its last four characters.
	await expect(page.locator('body')).not.toContainText('sk-ui-openai-key');
	expect(await page.content()).not.toContain('sk-ui-openai-key');

	await openai.test.click();
	await expect(openai.testResult).toContainText(/Connected in \d+ ms · \d+ models available/);
	await openai.root.scrollIntoViewIfNeeded();
	await shot(page, 'settings-provider-card');
	await openai.refresh.click();
	await expect(openai.refreshResult).toContainText(/Models refreshed: \d+ new, \d+ updated/);

	// The model table: a price set here is what chats are charged; a disabled model leaves the picker.
	await openai.openModels();
	const price = openai.root.getByLabel('Input price of GPT-4.1 mini in dollars per million tokens');
	await price.fill('0.5');
	await price.press('Enter');
	await openai.root.getByRole('switch', { name: 'Enable GPT-4o mini' }).click();
	await expect(openai.root.getByRole('switch', { name: 'Enable GPT-4o mini' })).toHaveAttribute(
		'aria-checked',
		'false'
	);
	await shot(page, 'settings-providers');

	await page.reload();
	await settings.card('OpenAI').openModels();
	await expect(
		settings.card('OpenAI').root.getByLabel('Input price of GPT-4.1 mini in dollars per million tokens')
	).toHaveValue('0.5');
	const chat = new ChatPage(page);
	await chat.newChat();
	await chat.choose('OpenAI');
	await expect(chat.model.locator('option[value="gpt-4o-mini"]')).toHaveCount(0);
	await expect(page.getByTestId('model-facts')).toContainText('$0.5 in');

	// Put the catalog back for the other specs.
	await call(page.request, 'models.update', { providerId: 'openai', modelId: 'gpt-4o-mini', enabled: true });
	await call(page.request, 'models.update', {
		providerId: 'openai',
		modelId: 'gpt-4.1-mini',
		prices: { inputPerMTok: 0.4, outputPerMTok: 1.6 }
	});
});

test('Test connection explains a refused key; a bad base URL is refused with the reason', async ({
	page
}) => {
	const settings = new SettingsPage(page);
	await settings.goto();
	const anthropic = settings.card('Anthropic');
	await script('anthropic', { on: 'models', status: 401 });
	await anthropic.test.click();
	await expect(anthropic.testResult).toContainText('Anthropic refused the API key');

	await anthropic.baseUrl.fill('ftp://files.example.com');
	await anthropic.save.click();
	await expect(anthropic.root.getByText('Only http and https URLs are allowed')).toBeVisible();
	await anthropic.root.getByRole('button', { name: 'Discard' }).click();
	await expect(anthropic.baseUrl).toHaveValue(emulatorBaseUrl('anthropic'));
	// Nothing left to save or discard.
	await expect(anthropic.root.getByRole('button', { name: 'Discard' })).toHaveCount(0);
});

test('the fallback order and default provider are set in settings', async ({ page }) => {
	const settings = new SettingsPage(page);
	await settings.goto();
	const openai = settings.card('OpenAI');
	await openai.isDefault.check();
	await openai.save.click();
	await expect(openai.root.getByText('Default', { exact: true })).toBeVisible();
	// A new chat now starts on OpenAI (nothing was chosen in this browser yet).
	const chat = new ChatPage(page);
	await chat.newChat();
	await expect(chat.provider.locator('option:checked')).toHaveText('OpenAI');
	await call(page.request, 'providers.update', { providerId: 'anthropic', isDefault: true });
});

test('members see provider status read-only, and unavailable providers are explained', async ({
	browser,
	page
}) => {
	await call(page.request, 'providers.update', { providerId: 'ollama', enabled: false });
	const { context } = await memberContext(browser, 'settings');
	try {
		const member = await context.newPage();
		const settings = new SettingsPage(member);
		await settings.goto();
		await expect(member.getByText('Only admins can change them')).toBeVisible();
		await expect(settings.card('Anthropic').status).toHaveText('Ready');
		await expect(settings.card('Ollama').status).toHaveText('Disabled');
		await expect(member.getByRole('textbox')).toHaveCount(0);
		await expect(member.getByRole('button', { name: 'Save changes' })).toHaveCount(0);
		await shot(member, 'settings-member');

		// In the chat picker the disabled provider is shown, but cannot be chosen; no settings link for members.
		const chat = new ChatPage(member);
		await chat.newChat();
		await expect(chat.provider.locator('option', { hasText: 'Ollama' })).toBeDisabled();
		await expect(member.getByText('An admin can set it up.')).toBeVisible();
		await expect(member.getByRole('link', { name: 'Set up providers' })).toHaveCount(0);
	} finally {
		await context.close();
		await call(page.request, 'providers.update', { providerId: 'ollama', enabled: true });
	}
});
