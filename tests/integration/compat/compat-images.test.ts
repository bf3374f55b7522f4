import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { useCompatHarness } from './compat-harness';

/*
 * Image parts through the compatible APIs, sent with the official SDKs: each API's own format in,
 * the upstream provider's own format out, checked from the bytes and only to vision models.
 */
const h = useCompatHarness();

const png = await sharp({ create: { width: 3, height: 3, channels: 3, background: '#ff00aa' } })
	.png()
	.toBuffer();
const data = png.toString('base64');

describe('image parts through the compatible APIs', () => {
	it('OpenAI image_url data URLs in, Anthropic base64 image blocks out', async () => {
		const client = await h.openai();
		await client.chat.completions.create({
			model: 'anthropic/claude-haiku-4-5',
			messages: [
				{
					role: 'user',
					content: [
						{ type: 'text', text: 'What colour?' },
						{ type: 'image_url', image_url: { url: `data:image/png;base64,${data}` } }
					]
				}
			]
		});
		const sent = h.emulators.anthropic.requests.find((r) => r.path === '/v1/messages')!.body;
		expect((sent as { messages: unknown[] }).messages).toEqual([
			{
				role: 'user',
				content: [
					{ type: 'image', source: { type: 'base64', media_type: 'image/png', data } },
					{ type: 'text', text: 'What colour?' }
				]
			}
		]);
	});

	it('Anthropic image blocks in, OpenAI image_url parts out', async () => {
		const client = await h.anthropic();
		await client.messages.create({
			model: 'openai/gpt-4.1-mini',
			max_tokens: 50,
			messages: [
				{
					role: 'user',
					content: [
						{ type: 'image', source: { type: 'base64', media_type: 'image/png', data } },
						{ type: 'text', text: 'What colour?' }
					]
				}
			]
		});
		const sent = h.emulators.openai.requests.find((r) => r.path === '/v1/chat/completions')!.body;
		expect((sent as { messages: unknown[] }).messages).toEqual([
			{
				role: 'user',
				content: [
					{ type: 'text', text: 'What colour?' },
					{ type: 'image_url', image_url: { url: `data:image/png;base64,${data}` } }
				]
			}
		]);
	});

	it('refuses a URL to fetch, HTML posing as an image, and a model without vision, before any call', async () => {
		const client = await h.openai();
		const ask = (url: string, model = 'openai/gpt-4.1-mini') =>
			client.chat.completions.create({
				model,
				messages: [
					{
						role: 'user',
						content: [
							{ type: 'text', text: 'Hi' },
							{ type: 'image_url', image_url: { url } }
						]
					}
				]
			});
		await expect(ask('http://169.254.169.254/latest/meta-data')).rejects.toMatchObject({
			status: 400,
			message: expect.stringContaining('images must be base64 data URLs')
		});
		const html = Buffer.from('<html><script>alert(1)</script></html>').toString('base64');
		await expect(ask(`data:image/png;base64,${html}`)).rejects.toMatchObject({
			status: 400,
			message: expect.stringContaining('is not a PNG, JPEG, WebP or GIF image')
		});
		await h.client.models.refresh.mutate({ providerId: 'ollama' });
		await expect(ask(`data:image/png;base64,${data}`, 'ollama/llama3.2:1b')).rejects.toMatchObject({
			status: 400,
			message: expect.stringContaining('cannot read images')
		});
		const upstream = [...h.emulators.openai.requests, ...h.emulators.ollama.requests].filter(
			(r) => r.path === '/v1/chat/completions' || r.path === '/api/chat'
		);
		expect(upstream).toEqual([]);
	});
});
