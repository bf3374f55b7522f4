import { ChatPage } from './pages/chat-page';
import { call } from './support/api';
import { emulatorBaseUrl } from './support/env';
import { chatRequests, numberedChunks, requests, resetEmulators, script } from './support/emulators';
import { expect, shot, test } from './support/fixtures';

const providers = [
	{ id: 'anthropic', name: 'Anthropic', modelId: 'claude-haiku-4-5' },
	{ id: 'openai', name: 'OpenAI', modelId: 'gpt-4.1-mini' },
	{ id: 'ollama', name: 'Ollama', modelId: 'llama3.2:1b' }
] as const;

test('chat with each provider and watch the text stream in', async ({ page }) => {
	const chat = new ChatPage(page);
	for (const provider of providers) {
		const chunks = numberedChunks(10, provider.id[0]);
		await script(provider.id, { chunks, paceMs: 250, usage: { inputTokens: 1200, outputTokens: 340 } });
		await chat.newChat();
		await chat.choose(provider.name, provider.modelId);
		await chat.send(`Count to ten, ${provider.name}.`);

		const answer = chat.answer();
		await answer.expectModel(provider.name, provider.modelId);
		// Part of the answer is on screen while the rest is still being written.
		await expect(answer.content).toContainText(chunks[2].trim());
		await answer.expectStatus('streaming');
		await expect(answer.content).not.toContainText(chunks[9].trim());
		if (provider.id === 'anthropic') await shot(page, 'chat-streaming');

		await answer.expectStatus('complete');
		await expect(answer.content).toHaveText(chunks.join('').trim());
		await expect(answer.usage).toContainText('1,200 in');
		await expect(answer.usage).toContainText('340 out');
		if (provider.id === 'ollama') {
			// Local models have no price: the answer says so instead of showing $0.
			await expect(answer.usage).toContainText('no price');
		} else {
			await expect(answer.usage).toContainText('$');
		}
		await expect(page).toHaveURL(/\/chat\/[0-9a-f-]{36}$/);
		await expect(page.getByRole('navigation', { name: 'Chats' })).toContainText(
			`Count to ten, ${provider.name}.`
		);
	}
});

test('switch provider and model mid-chat; each answer keeps its badge; regenerate with another model', async ({
	page
}) => {
	const chat = new ChatPage(page);
	await chat.newChat();
	await chat.choose('Anthropic', 'claude-sonnet-4-6');
	await chat.send('First question');
	await chat.answer(0).expectStatus('complete');
	await chat.answer(0).expectModel('Anthropic', 'claude-sonnet-4-6');

	// Mark the first answer's rendered markdown: streaming the next answer must not rebuild it.
	await chat
		.answer(0)
		.content.locator('.markdown')
		.evaluate((el) => el.setAttribute('data-e2e-marker', 'kept'));

	await chat.choose('OpenAI', 'gpt-4o-mini');
	await chat.send('Second question');
	await chat.answer(1).expectStatus('complete');
	await expect(chat.answer(0).content.locator('.markdown')).toHaveAttribute('data-e2e-marker', 'kept');
	await chat.answer(1).expectModel('OpenAI', 'gpt-4o-mini');
	await chat.answer(0).expectModel('Anthropic', 'claude-sonnet-4-6');
	await expect(chat.answer(1).content).toContainText('Hello from gpt-4o-mini. You said: Second question');

	// The second provider got the whole conversation, the first answer included.
	const [openaiRequest] = await chatRequests('openai');
	expect(openaiRequest.body.model).toBe('gpt-4o-mini');
	expect(JSON.stringify(openaiRequest.body.messages)).toContain(
		'Hello from claude-sonnet-4-6. You said: First question'
	);

	// Regenerate the second answer with another model: a second version, with its own badge.
	await chat
		.answer(1)
		.root.getByLabel('Regenerate with another model')
		.selectOption('anthropic/claude-haiku-4-5');
	const second = chat.answer(1);
	await second.expectStatus('complete');
	await second.expectModel('Anthropic', 'claude-haiku-4-5');
	await expect(second.root.getByLabel('Answer 2 of 2')).toBeVisible();
	await second.root.getByRole('button', { name: 'Previous answer' }).click();
	await chat.answer(1).expectModel('OpenAI', 'gpt-4o-mini');
	await shot(page, 'chat-switched-models');

	// All of it survives a reload, the version chosen last included (it is the chat's active branch).
	await page.reload();
	await chat.answer(0).expectModel('Anthropic', 'claude-sonnet-4-6');
	await chat.answer(1).expectModel('OpenAI', 'gpt-4o-mini');
	await expect(chat.answer(1).root.getByLabel('Answer 1 of 2')).toBeVisible();
	// Regenerating with another model answers once; the chat keeps the model chosen for it.
	await expect(chat.provider.locator('option:checked')).toHaveText('OpenAI');
	await expect(chat.model).toHaveValue('gpt-4o-mini');
});

test('temperature and max tokens reach the provider, within the model’s limits', async ({ page }) => {
	const chat = new ChatPage(page);
	await chat.newChat();
	await chat.choose('Anthropic', 'claude-sonnet-4-6');
	await chat.setTemperature(0.3);
	await chat.setMaxTokens(321);
	await chat.systemPrompt.fill('Answer like a pirate.');
	await chat.send('Settings check');
	await chat.answer().expectStatus('complete');

	const [anthropic] = await chatRequests('anthropic');
	expect(anthropic.body.temperature).toBeCloseTo(0.3);
	expect(anthropic.body.max_tokens).toBe(321);
	expect(JSON.stringify(anthropic.body.system)).toContain('Answer like a pirate.');

	// Same chat, another provider: the chat's settings go along.
	await chat.choose('OpenAI', 'gpt-4.1-mini');
	await chat.send('Settings check again');
	await chat.answer(1).expectStatus('complete');
	const [openai] = await chatRequests('openai');
	expect(openai.body.temperature).toBeCloseTo(0.3);
	expect(openai.body.max_completion_tokens ?? openai.body.max_tokens).toBe(321);

	// A reasoning model sets its own temperature: the slider says why it is off, and none is sent.
	await chat.model.selectOption('gpt-5-mini');
	await expect(chat.temperature).toBeDisabled();
	await expect(page.getByText('sets its own temperature')).toBeVisible();
	await chat.send('No temperature please');
	await chat.answer(2).expectStatus('complete');
	const openaiCalls = await chatRequests('openai');
	expect(openaiCalls[1].body.model).toBe('gpt-5-mini');
	expect(openaiCalls[1].body.temperature).toBeUndefined();

	// Max tokens is bounded by the model's output limit.
	await chat.maxTokens.fill('99999999');
	await expect(page.getByText(/This model writes at most [\d,]+ tokens/)).toBeVisible();
	await chat.maxTokens.fill('500');
	await expect(chat.maxTokens).not.toHaveAttribute('aria-invalid', 'true');
});

test('a model picked right after the first answer, before the chat’s page opens, changes that chat', async ({
	page
}) => {
	const chat = new ChatPage(page);
	await chat.newChat();
	await chat.choose('Anthropic', 'claude-sonnet-4-6');
	// The chat's own page is slow to open (its code held back): the first answer ends while the address is still /.
	let release: () => void = () => {};
	const held = new Promise<void>((resolve) => (release = resolve));
	await page.route('**/_app/immutable/nodes/**', async (route) => {
		await held;
		await route.continue();
	});
	await chat.send('Quick first question', { handover: false });
	await chat.answer().expectStatus('complete');
	expect(new URL(page.url()).pathname).toBe('/');
	await expect(page.getByRole('complementary', { name: 'Sidebar' })).toContainText('This chat');
	await chat.choose('OpenAI', 'gpt-4.1-mini');

	release();
	await expect(page).toHaveURL(/\/chat\//);
	await expect(chat.provider.locator('option:checked')).toHaveText('OpenAI');
	await expect(chat.model).toHaveValue('gpt-4.1-mini');
	await chat.send('And the second');
	await chat.answer(1).expectStatus('complete');
	const [second] = (await chatRequests('openai')).slice(-1);
	expect(second.body.model).toBe('gpt-4.1-mini');
});

test('stop mid-stream keeps the partial answer, and the provider sees the connection close', async ({
	page
}) => {
	const chat = new ChatPage(page);
	const chunks = numberedChunks(40, 's');
	await script('anthropic', { chunks, paceMs: 300 });
	await chat.newChat();
	await chat.choose('Anthropic', 'claude-sonnet-4-6');
	await chat.send('Write a long story');
	const answer = chat.answer();
	await expect(answer.content).toContainText('s03');
	await expect(chat.stopButton).toBeVisible();

	await page.keyboard.press('Escape');
	await answer.expectStatus('stopped');
	await expect(answer.root.getByText('Stopped', { exact: true })).toBeVisible();
	await expect(answer.content).not.toContainText('s40');
	const partial = (await answer.content.innerText()).trim();
	expect(partial).toMatch(/^s01 s02 s03/);
	await expect.poll(async () => (await requests('anthropic')).some((r) => r.clientClosed)).toBe(true);

	await page.reload();
	await chat.answer().expectStatus('stopped');
	await expect(chat.answer().content).toHaveText(partial);
});

test('a reload mid-stream re-attaches and shows the rest exactly once', async ({ page }) => {
	const chat = new ChatPage(page);
	const chunks = numberedChunks(24, 'r');
	await script('anthropic', { chunks, paceMs: 250 });
	await chat.newChat();
	await chat.choose('Anthropic', 'claude-sonnet-4-6');
	await chat.send('Stream something I can reload through');
	await expect(chat.answer().content).toContainText('r04');
	const url = page.url();

	await page.reload();
	await expect(page).toHaveURL(url);
	const answer = chat.answer();
	await answer.expectStatus('streaming');
	await answer.expectStatus('complete', 15_000);
	await expect(answer.content).toHaveText(chunks.join('').trim());
	await expect(chat.answers).toHaveCount(1);
	await expect(chat.userMessages).toHaveCount(1);
	// The provider was called once: the reload watched the same generation.
	expect(await chatRequests('anthropic')).toHaveLength(1);
});

test('a refused key is explained with where to fix it, and Retry answers', async ({ page }) => {
	const chat = new ChatPage(page);
	await script('openai', { status: 401 });
	await chat.newChat();
	await chat.choose('OpenAI', 'gpt-4.1-mini');
	await chat.send('Will this work?');
	const answer = chat.answer();
	await answer.expectStatus('error');
	await expect(answer.error).toContainText('OpenAI refused the API key');
	await expect(answer.error).toContainText('Check its API key in Settings → Providers');
	await expect(answer.error.getByRole('link', { name: 'Open provider settings' })).toHaveAttribute(
		'href',
		'/settings/providers'
	);
	// The key never reaches the page, not even the part the provider echoed back.
	await expect(page.locator('body')).not.toContainText('sk-e2e-openai');
	await shot(page, 'chat-auth-error');

	await answer.root.getByRole('button', { name: 'Retry' }).click();
	await chat.answer().expectStatus('complete');
	await expect(chat.answer().content).toContainText('Hello from gpt-4.1-mini');
});

test('an overloaded provider falls back to the next one, and the answer says so', async ({ page }) => {
	const chat = new ChatPage(page);
	await script('anthropic', { status: 529, errorType: 'overloaded_error', persist: true });
	try {
		await chat.newChat();
		await chat.choose('Anthropic', 'claude-sonnet-4-6');
		await chat.send('Anyone there?');
		const answer = chat.answer();
		await answer.expectStatus('complete', 30_000);
		await expect(answer.root.getByRole('status').filter({ hasText: 'answered by' })).toContainText(
			'Anthropic overloaded: answered by OpenAI gpt-4.1-mini'
		);
		await answer.expectModel('OpenAI', 'gpt-4.1-mini');
		await expect(answer.content).toContainText('Hello from gpt-4.1-mini. You said: Anyone there?');
		await shot(page, 'chat-fallback');
	} finally {
		await resetEmulators();
	}
});

test('quota, unknown-model and rate-limit failures each say what happened and what to do', async ({
	page
}) => {
	const chat = new ChatPage(page);
	await script('openai', { status: 429, errorType: 'insufficient_quota' });
	await chat.newChat();
	await chat.choose('OpenAI', 'gpt-4.1-mini');
	await chat.send('Rate limit me');
	await chat.answer().expectStatus('error');
	await expect(chat.answer().error).toContainText('OpenAI has no quota left for this key');
	await expect(chat.answer().error).toContainText('Add credit or raise the limit');

	await script('openai', { status: 404 });
	await chat.answer().root.getByRole('button', { name: 'Retry' }).click();
	await chat.answer().expectStatus('error');
	await expect(chat.answer().error).toContainText('Model not available');
	await expect(chat.answer().error).toContainText('Pick another model');

	// A passing rate limit is retried, then answered by the next provider: the answer says so.
	await script('openai', { status: 429, headers: { 'retry-after-ms': '5' }, persist: true });
	try {
		await chat.answer().root.getByRole('button', { name: 'Retry' }).click();
		await chat.answer().expectStatus('complete');
		// Which provider answers depends on who is cooling down after the tests before: any will do.
		await expect(chat.answer().root.getByRole('status').filter({ hasText: 'answered by' })).toContainText(
			'OpenAI rate limited: answered by'
		);
	} finally {
		await resetEmulators();
	}
});

test('a late first token says for how long it has been waited for, and why it can be', async ({ page }) => {
	const chat = new ChatPage(page);
	// One rate limit that asks for 11 s: the server waits it out, then OpenAI answers.
	await script('openai', { status: 429, headers: { 'retry-after': '11' } });
	await chat.newChat();
	await chat.choose('OpenAI', 'gpt-4.1-mini');
	await chat.send('Answer me when you can');
	const wait = chat.answer().root.getByTestId('first-token-wait');
	await expect(wait).toHaveText(/^Waiting for OpenAI · [3-9] s$/);
	await expect(
		chat.answer().root.getByText('A busy or rate-limited provider is retried on its own.')
	).toBeVisible({
		timeout: 15_000
	});
	await shot(page, 'chat-first-token-late');
	await chat.answer().expectStatus('complete');
	await expect(wait).toHaveCount(0);
	await expect(chat.answer().content).toContainText('Hello from gpt-4.1-mini');
});

test('empty and failure states: no provider, Ollama unreachable, offline', async ({ page, context }) => {
	const chat = new ChatPage(page);
	const all = ['anthropic', 'openai', 'ollama'];
	try {
		for (const providerId of all)
			await call(page.request, 'providers.update', { providerId, enabled: false });
		await page.goto('/');
		await expect(page.getByRole('heading', { name: 'Connect a model provider' })).toBeVisible();
		await expect(page.getByRole('link', { name: 'Set up providers' }).first()).toHaveAttribute(
			'href',
			'/settings/providers'
		);
		await expect(chat.composer).toBeDisabled();
		await shot(page, 'empty-no-provider');
	} finally {
		for (const providerId of all) await call(page.request, 'providers.update', { providerId, enabled: true });
	}

	// Ollama pointed at a port where nothing listens, and no other provider to fall back to:
	// a fast failure that says what to check.
	await call(page.request, 'providers.update', { providerId: 'ollama', baseUrl: 'http://127.0.0.1:9' });
	for (const providerId of ['anthropic', 'openai']) {
		await call(page.request, 'providers.update', { providerId, enabled: false });
	}
	try {
		await chat.newChat();
		await chat.choose('Ollama', 'llama3.2:1b');
		await chat.send('Are you there, Ollama?');
		await chat.answer().expectStatus('error', 30_000);
		await expect(chat.answer().error).toContainText('Could not reach Ollama');
		await expect(chat.answer().error).toContainText('ollama serve');
		await shot(page, 'chat-ollama-unreachable');
	} finally {
		await call(page.request, 'providers.update', {
			providerId: 'ollama',
			baseUrl: emulatorBaseUrl('ollama')
		});
		for (const providerId of ['anthropic', 'openai']) {
			await call(page.request, 'providers.update', { providerId, enabled: true });
		}
	}

	await context.setOffline(true);
	await page.evaluate(() => window.dispatchEvent(new Event('offline')));
	await expect(page.getByText('You are offline', { exact: true })).toBeVisible();
	await expect(chat.composer).toBeDisabled();
	await expect(chat.composer).toHaveAttribute('placeholder', /offline/);
	await context.setOffline(false);
	await page.evaluate(() => window.dispatchEvent(new Event('online')));
	await expect(chat.composer).toBeEnabled();
});

test('keyboard and a 375 px wide screen: menu, Enter sends, Shift+Enter adds a line', async ({ page }) => {
	await page.setViewportSize({ width: 375, height: 780 });
	await page.emulateMedia({ reducedMotion: 'reduce' });
	const chat = new ChatPage(page);
	await chat.newChat();
	await expect(page.getByRole('complementary', { name: 'Sidebar' })).toBeHidden();
	await shot(page, 'mobile-new-chat');

	await page.getByRole('button', { name: 'Open sidebar' }).click();
	await expect(chat.provider).toBeVisible();
	await chat.choose('OpenAI', 'gpt-4.1-mini');
	await shot(page, 'mobile-sidebar');
	await page.keyboard.press('Escape');
	await expect(page.getByRole('complementary', { name: 'Sidebar' })).toBeHidden();

	await chat.composer.click();
	await page.keyboard.type('line one');
	await page.keyboard.press('Shift+Enter');
	await page.keyboard.type('line two');
	await expect(chat.composer).toHaveValue('line one\nline two');
	await page.keyboard.press('Enter');
	await chat.answer().expectStatus('complete');
	await expect(chat.userMessages.first()).toHaveText('line one\nline two');
	await chat.answer().expectModel('OpenAI', 'gpt-4.1-mini');
	// Nothing is wider than the screen.
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
	await shot(page, 'mobile-chat');
});

test('the chat list: grouped by date, searched, filtered by provider, renamed and deleted', async ({
	page
}) => {
	const chat = new ChatPage(page);
	const stamp = Date.now().toString(36);
	await chat.newChat();
	await chat.choose('Anthropic', 'claude-haiku-4-5');
	await chat.send(`Zebra facts ${stamp}`);
	await chat.answer().expectStatus('complete');
	await chat.newChat();
	await chat.choose('OpenAI', 'gpt-4.1-mini');
	await chat.send(`Yak facts ${stamp}`);
	await chat.answer().expectStatus('complete');

	const list = page.getByRole('navigation', { name: 'Chats' });
	await expect(list.getByRole('heading', { name: 'Today' })).toBeVisible();
	await page.getByLabel('Search chats').fill(`zebra facts ${stamp}`);
	await expect(list.getByRole('link')).toHaveCount(1);
	await expect(list.getByRole('link')).toHaveText(`Zebra facts ${stamp}`);

	await page.getByLabel('Search chats').fill(stamp);
	await expect(list.getByRole('link')).toHaveCount(2);
	await page.getByLabel('Filter chats by provider').selectOption({ label: 'OpenAI' });
	await expect(list.getByRole('link')).toHaveCount(1);
	await expect(list.getByRole('link')).toHaveText(`Yak facts ${stamp}`);
	await page.getByLabel('Filter chats by provider').selectOption({ label: 'All' });
	await expect(list.getByRole('link')).toHaveCount(2);

	// The older chat, renamed, moves to the top: where the server lists it, now that it changed.
	await expect(list.getByRole('link').first()).toHaveText(`Yak facts ${stamp}`);
	await list.getByRole('button', { name: `Rename Zebra facts ${stamp}` }).click();
	await list.getByLabel('Chat title').fill(`Striped horses ${stamp}`);
	await list.getByLabel('Chat title').press('Enter');
	await expect(list.getByRole('link', { name: `Striped horses ${stamp}` })).toBeVisible();
	await expect(list.getByRole('link').first()).toHaveText(`Striped horses ${stamp}`);

	// Deleting the open chat asks first, then goes back to a new chat.
	await list.getByRole('link', { name: `Striped horses ${stamp}` }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Striped horses ${stamp}`);
	await list.getByRole('button', { name: `Delete Striped horses ${stamp}` }).click();
	const dialog = page.getByRole('dialog', { name: 'Delete this chat?' });
	await expect(dialog).toBeVisible();
	await dialog.getByRole('button', { name: 'Delete' }).click();
	await expect(page).toHaveURL(/\/$/);
	await expect(list.getByRole('link')).toHaveCount(1);
	await page.reload();
	await page.getByLabel('Search chats').fill(stamp);
	await expect(list.getByRole('link')).toHaveCount(1);
});

test('a chat that does not exist says so, and is asked for once', async ({ page }) => {
	const gets: string[] = [];
	page.on('request', (request) => {
		if (request.url().includes('chats.get')) gets.push(request.url());
	});
	await page.goto('/chat/00000000-0000-4000-8000-000000000000');
	await expect(page.getByText('This chat does not exist')).toBeVisible();
	await expect(page.getByRole('link', { name: 'Start a new chat' })).toHaveAttribute('href', '/');
	await page.waitForTimeout(1000);
	expect(gets.join('\n').match(/chats\.get/g)).toHaveLength(1);
});
