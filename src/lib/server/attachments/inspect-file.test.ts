import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { inspectFile, sniffImage } from './inspect-file';

const caps = { maxImageBytes: 1024 * 1024, maxTextBytes: 1024 };
const tiny = (format: 'png' | 'jpeg' | 'webp' | 'gif') =>
	sharp({ create: { width: 2, height: 5, channels: 3, background: '#ff0000' } })
		.toFormat(format)
		.toBuffer();

describe('inspectFile', () => {
	it.each(['png', 'jpeg', 'webp', 'gif'] as const)(
		'accepts a %s from its bytes, whatever its name',
		async (format) => {
			expect(await inspectFile('no-extension', await tiny(format), caps)).toEqual({
				kind: 'image',
				mediaType: `image/${format}`,
				width: 2,
				height: 5
			});
		}
	);

	it('refuses an image name whose bytes are HTML, and SVG, HTML or PDF under any name', async () => {
		const html = Buffer.from('<!doctype html><script>alert(1)</script>');
		await expect(inspectFile('x.png', html, caps)).rejects.toThrow('is not a PNG, JPEG, WebP or GIF image');
		await expect(inspectFile('x.html', html, caps)).rejects.toThrow('is not a supported file');
		await expect(inspectFile('x.svg', Buffer.from('<svg/>'), caps)).rejects.toThrow(
			'is not a supported file'
		);
		await expect(inspectFile('x.txt', Buffer.from('%PDF-1.7\n'), caps)).rejects.toThrow('is a PDF');
	});

	it('refuses a damaged image and one over the cap', async () => {
		const png = await tiny('png');
		await expect(inspectFile('x.png', png.subarray(0, 40), caps)).rejects.toThrow(
			'could not be read as an image'
		);
		await expect(inspectFile('x.png', png, { ...caps, maxImageBytes: 10 })).rejects.toThrow(
			'the limit for images'
		);
	});

	it('accepts UTF-8 text with a text or code name; refuses binary, non-UTF-8 and oversized text', async () => {
		expect(await inspectFile('main.ts', Buffer.from('const a = "é";'), caps)).toEqual({
			kind: 'text',
			mediaType: 'text/plain'
		});
		await expect(inspectFile('a.txt', Buffer.from([0x61, 0x00, 0x62]), caps)).rejects.toThrow(
			'not UTF-8 text'
		);
		await expect(inspectFile('a.txt', Buffer.from([0xff, 0xfe, 0x41]), caps)).rejects.toThrow(
			'not UTF-8 text'
		);
		await expect(inspectFile('a.csv', Buffer.alloc(2048, 0x61), caps)).rejects.toThrow(
			'the limit for text files'
		);
		await expect(inspectFile('a.exe', Buffer.from('MZ'), caps)).rejects.toThrow('is not a supported file');
	});
});

describe('sniffImage', () => {
	it('knows the four signatures and nothing else', () => {
		expect(sniffImage(Buffer.from('GIF89a...'))).toBe('image/gif');
		expect(sniffImage(Buffer.from('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp');
		expect(sniffImage(Buffer.from('RIFF\0\0\0\0WAVE'))).toBeNull();
		expect(sniffImage(Buffer.from('<svg'))).toBeNull();
	});
});
