import sharp from 'sharp';
import type { Page } from '@playwright/test';
import { ChatPage } from './pages/chat-page';
import { chatRequests } from './support/emulators';
import { expect, shot, test } from './support/fixtures';

/** Pastes bytes into the composer as a screenshot from the clipboard would arrive. */
async function paste(page: Page, bytes: Buffer, name: string, type: string) {
	await page.locator('#composer-input').evaluate(
		(input, file) => {
			const data = Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0));
			const transfer = new DataTransfer();
			transfer.items.add(new File([data], file.name, { type: file.type }));
			input.dispatchEvent(
				new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true })
			);
		},
		{ base64: bytes.toString('base64'), name, type }
	);
}

const picture = await sharp({
	create: { width: 160, height: 100, channels: 3, background: '#2f6fed' }
})
	.composite([
		{
			input: await sharp({ create: { width: 60, height: 60, channels: 3, background: '#ffb020' } })
				.png()
				.toBuffer(),
			left: 20,
			top: 20
		}
	])
	.png()
	.toBuffer();

test('paste an image, send it, see its thumbnail in the question, reload, still there', async ({ page }) => {
	const chat = new ChatPage(page);
	await chat.newChat();
	await chat.choose('OpenAI', 'gpt-4.1-mini');
	await paste(page, picture, 'image.png', 'image/png');

	const composerThumb = page.locator('form.composer').getByTestId('attachment-thumbnail');
	await expect(composerThumb).toBeVisible();
	await chat.send('What is in this picture?');
	await chat.answer().expectStatus('complete');
	await expect(page.locator('form.composer').getByTestId('attachments')).toHaveCount(0);

	const question = page.locator('[data-message-id]').filter({ has: chat.userMessages });
	const thumb = question.getByTestId('attachment-thumbnail');
	await expect(thumb).toBeVisible();
	await expect(thumb).toHaveJSProperty('naturalWidth', 160);

	const [sent] = await chatRequests('openai');
	const content = (sent.body as { messages: { content: unknown }[] }).messages.at(-1)!.content;
	expect(content).toContainEqual({
		type: 'image_url',
		image_url: { url: `data:image/png;base64,${picture.toString('base64')}` }
	});

	await page.reload();
	await expect(thumb).toBeVisible();
	await expect(thumb).toHaveJSProperty('naturalWidth', 160);
	await shot(page, 'attachment-in-question');

	// Click to view: the image at full size in a dialog.
	await thumb.click();
	const viewer = page.getByRole('dialog');
	await expect(viewer.getByRole('img')).toHaveJSProperty('naturalWidth', 160);
	await shot(page, 'attachment-viewer');
	await viewer.getByRole('button', { name: 'Close' }).click();
	await expect(viewer).toBeHidden();
});

test('a file named .png holding HTML is refused with a clear message; a removed file is not sent', async ({
	page
}) => {
	const chat = new ChatPage(page);
	await chat.newChat();
	await chat.choose('OpenAI', 'gpt-4.1-mini');
	await paste(page, Buffer.from('<html><script>alert(1)</script></html>'), 'photo.png', 'image/png');
	await expect(page.getByTestId('attachment-error')).toHaveText(
		'“photo.png” is not a PNG, JPEG, WebP or GIF image: its contents are something else.'
	);
	await shot(page, 'attachment-refused');

	await paste(page, picture, 'keep-out.png', 'image/png');
	await page.getByRole('button', { name: 'Remove keep-out.png' }).click();
	await chat.send('No files here');
	await chat.answer().expectStatus('complete');
	const [sent] = await chatRequests('openai');
	expect((sent.body as { messages: { content: unknown }[] }).messages.at(-1)!.content).toBe('No files here');
});
