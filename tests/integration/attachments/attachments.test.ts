import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { eq } from 'drizzle-orm';
import { attachmentBlobs, attachments } from '$lib/server/db/schema';
import { collectStream, useChatHarness, type Client } from '../../helpers/chat-harness';

const h = useChatHarness();

const png = await sharp({ create: { width: 4, height: 3, channels: 3, background: '#3366ff' } })
	.png()
	.toBuffer();
const pngBase64 = png.toString('base64');
const notes = '# Notes\n\nThe meeting moved to Tuesday.';
const question = 'What is in the picture, and when is the meeting?';
const fileBlock = `<file name="notes.md">\n${notes}\n</file>\n\n${question}`;

async function upload(client: Client, name: string, bytes: Buffer | string) {
	return client.attachments.upload.mutate({ name, data: Buffer.from(bytes).toString('base64') });
}

/** Uploads the picture and the notes, sends them with the question, waits for the answer. */
async function askWithFiles(providerId: string, modelId: string) {
	const image = await upload(h.client, 'blue.png', png);
	const text = await upload(h.client, 'notes.md', notes);
	const chat = await h.client.chats.create.mutate({ providerId, modelId });
	const sent = await h.client.chats.send.mutate({
		chatId: chat.id,
		content: question,
		attachmentIds: [image.id, text.id]
	});
	const events = await collectStream(h.client, sent.assistantMessageId);
	expect(events.at(-1)!.event.type).toBe('done');
	return { chat, sent, image, text };
}

function chatBody(requests: { path: string; body: unknown }[], path: string) {
	const found = requests.filter((r) => r.path === path);
	expect(found).toHaveLength(1);
	return found[0].body as { messages: unknown[] };
}

describe('attachments reach each provider in its own wire format', () => {
	it('anthropic: base64 image blocks before the text, the text file rendered with its name', async () => {
		await askWithFiles('anthropic', 'claude-sonnet-4-5');
		const body = chatBody(h.emulators.anthropic.requests, '/v1/messages');
		expect(body.messages).toEqual([
			{
				role: 'user',
				content: [
					{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: pngBase64 } },
					// The conversation so far is marked for the prompt cache on its last block.
					{ type: 'text', text: fileBlock, cache_control: { type: 'ephemeral' } }
				]
			}
		]);
	});

	it('openai: the text part, then an image_url part holding a data URL', async () => {
		await askWithFiles('openai', 'gpt-4.1-mini');
		const body = chatBody(h.emulators.openai.requests, '/v1/chat/completions');
		expect(body.messages).toEqual([
			{
				role: 'user',
				content: [
					{ type: 'text', text: fileBlock },
					{ type: 'image_url', image_url: { url: `data:image/png;base64,${pngBase64}` } }
				]
			}
		]);
	});

	it('ollama: `images` beside the content, as bare base64; vision known from /api/show', async () => {
		h.emulators.ollama.setModels([{ id: 'llava:7b', contextWindow: 4096, vision: true }]);
		await h.client.models.refresh.mutate({ providerId: 'ollama' });
		const [model] = await h.client.models.list.query({ providerId: 'ollama' });
		expect(model).toMatchObject({ modelId: 'llava:7b', supportsVision: true });
		await askWithFiles('ollama', 'llava:7b');
		const body = chatBody(h.emulators.ollama.requests, '/api/chat');
		expect(body.messages).toEqual([{ role: 'user', content: fileBlock, images: [pngBase64] }]);
	});

	it('the sent message lists its attachments, and a later turn still shows the model the image', async () => {
		const { chat, sent, image, text } = await askWithFiles('openai', 'gpt-4.1-mini');
		const stored = await h.client.chats.get.query({ chatId: chat.id });
		const question = stored.messages.find((m) => m.id === sent.userMessageId)!;
		expect(question.attachments).toEqual([
			{
				id: image.id,
				name: 'blue.png',
				kind: 'image',
				mediaType: 'image/png',
				byteSize: png.length,
				width: 4,
				height: 3
			},
			{
				id: text.id,
				name: 'notes.md',
				kind: 'text',
				mediaType: 'text/plain',
				byteSize: notes.length,
				width: null,
				height: null
			}
		]);
		const next = await h.client.chats.send.mutate({ chatId: chat.id, content: 'And the colour?' });
		await collectStream(h.client, next.assistantMessageId);
		const second = h.emulators.openai.requests.filter((r) => r.path === '/v1/chat/completions')[1];
		const first = (second.body as { messages: { content: unknown }[] }).messages[0];
		expect(first.content).toContainEqual({
			type: 'image_url',
			image_url: { url: `data:image/png;base64,${pngBase64}` }
		});
	});
});

describe('attachments are refused before any call when they cannot be used', () => {
	it('a model without vision refuses an image, naming models that can, and no provider is called', async () => {
		h.emulators.ollama.setModels([{ id: 'llama3.2:1b', contextWindow: 4096 }]);
		await h.client.models.refresh.mutate({ providerId: 'ollama' });
		const image = await upload(h.client, 'blue.png', png);
		const chat = await h.client.chats.create.mutate({ providerId: 'ollama', modelId: 'llama3.2:1b' });
		const refused = h.client.chats.send.mutate({
			chatId: chat.id,
			content: question,
			attachmentIds: [image.id]
		});
		await expect(refused).rejects.toMatchObject({
			data: { code: 'BAD_REQUEST' },
			message: expect.stringMatching(
				/ollama\/llama3\.2:1b cannot read images\. Models that can: .*anthropic\/claude/
			)
		});
		const all = [
			...h.emulators.ollama.requests,
			...h.emulators.openai.requests,
			...h.emulators.anthropic.requests
		];
		expect(all.filter((r) => r.path.includes('chat') || r.path.includes('messages'))).toEqual([]);
		expect((await h.client.chats.get.query({ chatId: chat.id })).messages).toEqual([]);
	});

	it('a file named .png that holds HTML is refused from its bytes', async () => {
		const html = '<html><body><script>alert(1)</script></body></html>';
		await expect(upload(h.client, 'photo.png', html)).rejects.toMatchObject({
			data: { code: 'BAD_REQUEST' },
			message: expect.stringContaining('is not a PNG, JPEG, WebP or GIF image')
		});
		await expect(upload(h.client, 'page.html', html)).rejects.toMatchObject({
			data: { code: 'BAD_REQUEST' }
		});
		await expect(
			upload(h.client, 'logo.svg', '<svg xmlns="http://www.w3.org/2000/svg"/>')
		).rejects.toMatchObject({
			data: { code: 'BAD_REQUEST' }
		});
		const truncated = png.subarray(0, png.length - 20);
		await expect(upload(h.client, 'cut.png', truncated)).rejects.toMatchObject({
			data: { code: 'BAD_REQUEST' }
		});
	});

	it('over the per-message cap, or an id already sent, is a clear 400 before any call', async () => {
		const one = await upload(h.client, 'a.txt', 'a');
		const chat = await h.client.chats.create.mutate({ providerId: 'openai', modelId: 'gpt-4.1-mini' });
		const ids = await Promise.all(Array.from({ length: 9 }, (_, i) => upload(h.client, `${i}.txt`, `${i}`)));
		await expect(
			h.client.chats.send.mutate({ chatId: chat.id, content: 'hi', attachmentIds: ids.map((a) => a.id) })
		).rejects.toMatchObject({ message: 'A message can carry at most 8 files.' });
		const sent = await h.client.chats.send.mutate({
			chatId: chat.id,
			content: 'hi',
			attachmentIds: [one.id]
		});
		await collectStream(h.client, sent.assistantMessageId);
		await expect(
			h.client.chats.send.mutate({ chatId: chat.id, content: 'again', attachmentIds: [one.id] })
		).rejects.toMatchObject({
			data: { code: 'BAD_REQUEST' },
			message: expect.stringContaining('already sent')
		});
	});
});

describe('attachment bytes are served to their owner only', () => {
	it('the owner gets the validated image inline; another user gets 404; an admin may read it', async () => {
		const member = await h.member();
		const image = await upload(member.client, 'blue.png', png);
		const text = await upload(member.client, 'notes.md', notes);
		const get = (id: string, cookie: string) =>
			fetch(`${h.url}/api/attachments/${id}`, { headers: { cookie } });

		const own = await get(image.id, member.user.cookie);
		expect(own.status).toBe(200);
		expect(own.headers.get('content-type')).toBe('image/png');
		expect(own.headers.get('x-content-type-options')).toBe('nosniff');
		expect(own.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
		expect(Buffer.from(await own.arrayBuffer()).equals(png)).toBe(true);

		const asText = await get(text.id, member.user.cookie);
		expect(asText.headers.get('content-type')).toBe('text/plain; charset=utf-8');
		expect(asText.headers.get('content-disposition')).toMatch(/^attachment;/);
		expect(await asText.text()).toBe(notes);

		const other = await h.member();
		const refused = await get(image.id, other.user.cookie);
		expect(refused.status).toBe(404);
		expect(await refused.text()).toBe('Not found');
		expect((await get('not-a-uuid', other.user.cookie)).status).toBe(404);
		expect((await fetch(`${h.url}/api/attachments/${image.id}`)).status).toBe(401);
		expect((await get(image.id, h.admin.cookie)).status).toBe(200);
	});
});

describe('storage by content hash', () => {
	it('the same bytes are stored once; deleting the chat removes what nothing else refers to', async () => {
		const db = h.app.database.db;
		const first = await askWithFiles('openai', 'gpt-4.1-mini');
		const again = await upload(h.client, 'copy.png', png);
		const [row] = await db.select().from(attachments).where(eq(attachments.id, again.id));
		expect(
			await db
				.select({ sha: attachmentBlobs.sha256 })
				.from(attachmentBlobs)
				.where(eq(attachmentBlobs.sha256, row.sha256))
		).toHaveLength(1);

		await h.client.chats.delete.mutate({ chatId: first.chat.id });
		expect(await db.select().from(attachments).where(eq(attachments.id, first.image.id))).toEqual([]);
		// The unsent copy still refers to the picture's bytes; the notes' bytes went with the chat.
		expect(await db.select({ sha: attachmentBlobs.sha256 }).from(attachmentBlobs)).toEqual([
			{ sha: row.sha256 }
		]);
	});
});
