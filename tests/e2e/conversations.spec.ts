import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { ChatPage } from './pages/chat-page';
import { call } from './support/api';
import { emulatorBaseUrl } from './support/env';
import { chatRequests, script } from './support/emulators';
import { expect, shot, test } from './support/fixtures';
import {
	adminOf,
	freshDatabase,
	killSpawnedApps,
	spawnApp,
	spawnedPort,
	trpcOk
} from './support/spawned-app';

type Detail = {
	id: string;
	title: string;
	activeLeafId: string | null;
	messages: { id: string; parentId: string | null; content: string; [key: string]: unknown }[];
};

/** The user and assistant texts of the last request OpenAI's emulator received. */
async function lastConversation(): Promise<string[]> {
	const body = (await chatRequests('openai')).at(-1)!.body as {
		messages: { role: string; content: string }[];
	};
	return body.messages.filter((m) => m.role !== 'system').map((m) => `${m.role}: ${m.content}`);
}

const chatIdOf = (url: string) => /\/chat\/([0-9a-f-]{36})/.exec(url)![1];

/** A sent question, found by its text and then held by its id (its text goes away while it is edited). */
async function question(page: Page, text: string) {
	const id = await page
		.locator('.user')
		.filter({ has: page.getByText(text, { exact: true }) })
		.getAttribute('data-message-id');
	return page.locator(`.user[data-message-id="${id}"]`);
}

/** Edits a sent question into `content` (a new branch). */
async function editQuestion(page: Page, text: string, content: string) {
	const user = await question(page, text);
	await user.getByRole('button', { name: 'Edit this message' }).click();
	await user.getByLabel('Edit your message').fill(content);
	await user.getByRole('button', { name: 'Send as a new branch' }).click();
}

test('edit mid-chat, switch branches, reload: the branch stays and the next request holds exactly it', async ({
	page
}) => {
	const chat = new ChatPage(page);
	await chat.newChat();
	await chat.choose('OpenAI', 'gpt-4.1-mini');
	for (const [i, q] of ['one', 'two', 'three'].entries()) {
		await script('openai', { chunks: [`A${i + 1}`] });
		await chat.send(q);
		await chat.answer(i).expectStatus('complete');
	}

	// Edit the second question: a new branch from there, answered at once.
	await script('openai', { chunks: ['A2 edited'] });
	await editQuestion(page, 'two', 'two, edited');
	await expect(chat.userMessages).toHaveText(['one', 'two, edited']);
	await chat.answer('last').expectStatus('complete');
	expect(await lastConversation()).toEqual(['user: one', 'assistant: A1', 'user: two, edited']);
	const edited = await question(page, 'two, edited');
	await expect(edited.getByTestId('version-position')).toHaveText('2/2');
	await shot(page, 'branch-edited');

	// Back to the first version: the old branch, whole.
	await edited.getByRole('button', { name: 'Previous version' }).click();
	await expect(chat.userMessages).toHaveText(['one', 'two', 'three']);
	await shot(page, 'branch-switched');

	await page.reload();
	await expect(chat.userMessages).toHaveText(['one', 'two', 'three']);
	await expect(chat.answers).toHaveCount(3);

	await script('openai', { chunks: ['A4'] });
	await chat.send('four');
	await chat.answer(3).expectStatus('complete');
	expect(await lastConversation()).toEqual([
		'user: one',
		'assistant: A1',
		'user: two',
		'assistant: A2',
		'user: three',
		'assistant: A3',
		'user: four'
	]);
});

test('a three-model comparison streams in columns, and keeping one continues the chat with it', async ({
	page
}) => {
	const chat = new ChatPage(page);
	await chat.newChat();
	await chat.choose('OpenAI', 'gpt-4.1-mini');
	await script('openai', { chunks: ['Warm up.'] });
	await chat.send('Hello');
	await chat.answer(0).expectStatus('complete');

	await page.getByRole('button', { name: 'Compare models' }).click();
	const picker = page.getByTestId('compare-picker');
	await picker.getByRole('button', { name: 'Add a model' }).click();
	await picker.getByLabel('Model 1', { exact: true }).selectOption('openai/gpt-4.1-mini');
	await picker.getByLabel('Model 2', { exact: true }).selectOption('anthropic/claude-haiku-4-5');
	await picker.getByLabel('Model 3', { exact: true }).selectOption('ollama/llama3.2:1b');
	const words = (p: string) => Array.from({ length: 12 }, (_, i) => `${p}${i} `);
	await script('openai', { chunks: words('o'), paceMs: 300 });
	await script('anthropic', { chunks: words('a'), paceMs: 300 });
	await script('ollama', { chunks: words('l'), paceMs: 300 });
	await chat.send('Which is best?');

	const columns = page.getByTestId('compare-column');
	await expect(columns).toHaveCount(3);
	await shot(page, 'compare-started');
	// Running estimates while the columns stream, exact figures once they end.
	await expect(columns.nth(0).getByTestId('live-usage')).toContainText(/~\d+ in · ~\d+ out · ~<?\$/);
	await expect(columns.nth(1).getByTestId('model-badge')).toHaveAttribute(
		'title',
		'Anthropic · claude-haiku-4-5'
	);
	await shot(page, 'compare-streaming');
	for (let i = 0; i < 3; i++)
		await expect(columns.nth(i).getByRole('article')).toHaveAttribute('data-status', 'complete');
	await expect(columns.nth(2).getByTestId('answer-usage')).toContainText('no price');
	await expect(columns.nth(0).getByTestId('answer-usage')).toContainText('$');
	await expect(columns.nth(1).getByTestId('compare-time')).toHaveText(/\d+\.\d s/);
	await shot(page, 'compare-done');

	await columns.nth(1).getByRole('button', { name: 'Keep this answer' }).click();
	await expect(columns).toHaveCount(0);
	await chat.answer('last').expectModel('Anthropic', 'claude-haiku-4-5');
	await expect(chat.answer('last').root.getByTestId('version-position')).toHaveText('2/3');

	await script('openai', { chunks: ['Continued.'] });
	await chat.send('Go on');
	await chat.answer('last').expectStatus('complete');
	expect(await lastConversation()).toEqual([
		'user: Hello',
		'assistant: Warm up.',
		'user: Which is best?',
		`assistant: ${words('a').join('')}`,
		'user: Go on'
	]);
});

test('a comparison not yet resolved survives a reload as columns; once one is kept, reloads show it alone', async ({
	page
}) => {
	const chat = new ChatPage(page);
	await chat.newChat();
	await chat.choose('OpenAI', 'gpt-4.1-mini');
	await script('openai', { chunks: ['Warm up.'] });
	await chat.send('Hello');
	await chat.answer(0).expectStatus('complete');
	await page.getByRole('button', { name: 'Compare models' }).click();
	const picker = page.getByTestId('compare-picker');
	await picker.getByRole('button', { name: 'Add a model' }).click();
	await picker.getByLabel('Model 1', { exact: true }).selectOption('openai/gpt-4.1-mini');
	await picker.getByLabel('Model 2', { exact: true }).selectOption('anthropic/claude-haiku-4-5');
	await picker.getByLabel('Model 3', { exact: true }).selectOption('ollama/llama3.2:1b');
	await script('openai', { chunks: ['From OpenAI.'] });
	await script('anthropic', { chunks: ['From Anthropic.'] });
	await script('ollama', { chunks: ['From Ollama.'] });
	await chat.send('Which is best?');
	const columns = page.getByTestId('compare-column');
	await expect(columns).toHaveCount(3);
	for (let i = 0; i < 3; i++)
		await expect(columns.nth(i).getByRole('article')).toHaveAttribute('data-status', 'complete');

	await page.reload();
	await expect(columns).toHaveCount(3);
	await shot(page, 'compare-after-reload');
	// The columns keep the order the models were picked in, each with its own answer, and no switcher.
	const badges = ['OpenAI · gpt-4.1-mini', 'Anthropic · claude-haiku-4-5', 'Ollama · llama3.2:1b'];
	const texts = ['From OpenAI.', 'From Anthropic.', 'From Ollama.'];
	for (let i = 0; i < 3; i++) {
		await expect(columns.nth(i).getByTestId('model-badge')).toHaveAttribute('title', badges[i]);
		await expect(columns.nth(i).getByTestId('answer-content')).toHaveText(texts[i]);
	}
	await expect(page.getByTestId('version-position')).toHaveCount(0);

	await columns.nth(2).getByRole('button', { name: 'Keep this answer' }).click();
	await expect(columns).toHaveCount(0);
	await expect(chat.answer('last').root.getByTestId('version-position')).toHaveText('3/3');
	// The choice is saved before the reload reads it back.
	await expect
		.poll(async () => {
			const detail = await call<Detail & { comparing: string[] }>(
				page.request,
				'chats.get',
				{ chatId: chatIdOf(page.url()) },
				'query'
			);
			return detail.comparing;
		})
		.toEqual([]);
	await page.reload();
	await chat.answer('last').expectModel('Ollama', 'llama3.2:1b');
	await expect(chat.answer('last').root.getByTestId('version-position')).toHaveText('3/3');
	await expect(columns).toHaveCount(0);
});

test('export a chat with branches, delete it, import it: the same chat, ids aside', async ({ page }) => {
	const chat = new ChatPage(page);
	await chat.newChat();
	await chat.choose('OpenAI', 'gpt-4.1-mini');
	await chat.send('first');
	await chat.answer(0).expectStatus('complete');
	await chat.send('second');
	await chat.answer(1).expectStatus('complete');
	await editQuestion(page, 'second', 'second, edited');
	await expect(chat.userMessages).toHaveText(['first', 'second, edited']);
	const chatId = chatIdOf(page.url());
	await expect
		.poll(async () => {
			const detail = await call<Detail>(page.request, 'chats.get', { chatId }, 'query');
			return detail.messages.filter((m) => m.status === 'streaming').length;
		})
		.toBe(0);
	const before = await call<Detail>(page.request, 'chats.get', { chatId }, 'query');

	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByTestId('export-menu').selectOption('json')
	]);
	const path = await download.path();
	await call(page.request, 'chats.delete', { chatId });

	await page.goto('/account');
	// setInputFiles does not wait for an input to be enabled, and before hydration this one is not.
	await expect(page.getByTestId('import-file')).toBeEnabled();
	await page.getByTestId('import-file').setInputFiles({
		name: 'chat.json',
		mimeType: 'application/json',
		buffer: await readFile(path)
	});
	await expect(page).toHaveURL(/\/chat\//);
	await expect(chat.userMessages).toHaveText(['first', 'second, edited']);
	await shot(page, 'imported-chat');
	const after = await call<Detail>(page.request, 'chats.get', { chatId: chatIdOf(page.url()) }, 'query');

	const shape = (d: Detail) => {
		const index = new Map(d.messages.map((m, i) => [m.id, i]));
		return {
			...d,
			id: undefined,
			activeLeafId: d.activeLeafId && index.get(d.activeLeafId),
			messages: d.messages.map((m) => ({
				...m,
				id: undefined,
				chatId: undefined,
				parentId: m.parentId && index.get(m.parentId)
			}))
		};
	};
	expect(after.id).not.toBe(before.id);
	expect(shape(after)).toEqual(shape(before));
});

test("the header's export says why it refused under the menu, within a phone's width, and closes", async ({
	page
}) => {
	const chat = new ChatPage(page);
	await chat.newChat();
	await chat.choose('OpenAI', 'gpt-4.1-mini');
	await chat.send('a chat to export');
	await chat.answer(0).expectStatus('complete');
	const refusal =
		'This chat comes to about 254.3 MB, more than one export holds (128 MB). An admin’s database backup keeps it (npm run db:backup).';
	// The server's answer to an export too large to build, as tRPC writes it (the size itself is the
	// integration tests' to make: it takes files in the database).
	await page.route('**/api/trpc/chats.export?**', (route) =>
		route.fulfill({
			status: 400,
			contentType: 'application/json',
			body: JSON.stringify([
				{
					error: {
						json: {
							message: refusal,
							code: -32600,
							data: { code: 'BAD_REQUEST', httpStatus: 400, path: 'chats.export', zodError: null }
						}
					}
				}
			])
		})
	);
	await page.setViewportSize({ width: 375, height: 800 });
	await page.getByTestId('export-menu').selectOption('json');
	const message = page.getByTestId('export-message');
	await expect(message.getByRole('alert')).toHaveText(refusal);
	const box = (await message.boundingBox())!;
	expect(box.x).toBeGreaterThanOrEqual(0);
	expect(box.x + box.width).toBeLessThanOrEqual(375);
	// Under the menu, not squeezed into the header's row beside it.
	const menu = (await page.getByTestId('export-menu').boundingBox())!;
	expect(box.y).toBeGreaterThan(menu.y + menu.height);
	await shot(page, 'export-refused-narrow');
	await message.getByRole('button', { name: 'Close' }).click();
	await expect(message).toHaveCount(0);
});

test.describe('titles', () => {
	test.setTimeout(180_000);
	test.afterEach(() => killSpawnedApps());

	test("after the first answer, a title written by the emulator's model appears", async ({
		page,
		context
	}) => {
		// An app of its own: the shared one runs with titles off (TITLE_MODEL=off in serve.mjs).
		const app = await spawnApp({
			port: spawnedPort(4),
			database: await freshDatabase('titles'),
			env: { TITLE_MODEL: 'openai/gpt-4.1-nano' }
		});
		const { cookie, token } = await adminOf(app);
		await trpcOk(
			app.origin,
			'providers.update',
			{
				providerId: 'openai',
				enabled: true,
				apiKey: 'sk-e2e-titles-openai-key',
				baseUrl: emulatorBaseUrl('openai'),
				settings: { allowPrivateNetwork: true },
				isDefault: true
			},
			{ token }
		);
		const [name, value] = cookie.split(';')[0].split('=');
		await context.addCookies([{ name, value, url: app.origin }]);
		await script(
			'openai',
			{ model: 'gpt-4.1-mini', chunks: ['Three days: Alfama, Belém, Sintra.'] },
			{ model: 'gpt-4.1-nano', chunks: ['"Lisbon Weekend Plan"'] }
		);
		await page.goto(`${app.origin}/`);
		const chat = new ChatPage(page);
		await expect(chat.composer).toBeEnabled();
		await chat.choose('OpenAI', 'gpt-4.1-mini');
		await chat.send('Plan three days in Lisbon for me');
		await chat.answer(0).expectStatus('complete');
		await expect(page.getByRole('navigation', { name: 'Chats' })).toContainText('Lisbon Weekend Plan');
		await shot(page, 'title-by-model');
		const usage = await trpcOk<{ key: string; requests: number }[]>(
			app.origin,
			'usage.summary',
			{ groupBy: 'source' },
			{ token },
			'query'
		);
		expect(usage.find((r) => r.key === 'title')?.requests).toBe(1);
		// The usage page names that source in words, as it does the others.
		await page.goto(`${app.origin}/usage`);
		const bySource = page.getByRole('region', { name: 'Usage by source' });
		await expect(bySource.getByRole('rowheader', { name: 'Chat titles' })).toBeVisible();
	});
});
