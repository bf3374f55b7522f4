import { textFileExtensions, type ImageMediaType } from '$lib/schemas/attachments';
import { AppError } from '../errors';
import { formatBytes } from '$lib/format-bytes';

export type AttachmentCaps = { maxImageBytes: number; maxTextBytes: number };

export type InspectedFile =
	| { kind: 'image'; mediaType: ImageMediaType; width: number; height: number }
	| { kind: 'text'; mediaType: 'text/plain' };

type Sharp = (typeof import('sharp'))['default'];

let sharpLoading: Promise<Sharp> | undefined;

/**
 * sharp (libvips) is loaded with the first image, not with the server: loading it costs ~75 ms of
 * the start and some memory, whether or not anyone ever attaches an image (the app on Postgres 10 s
 * after starting, seven starts each: 96-99 MB, once 131, without it; 102-147 MB with it, median 143).
 */
function loadSharp(): Promise<Sharp> {
	sharpLoading ??= import('sharp').then(
		(module) => module.default,
		(cause: unknown) => {
			sharpLoading = undefined;
			throw new AppError('unavailable', 'This server cannot read images: its image library did not load.', {
				cause
			});
		}
	);
	return sharpLoading;
}

/** Decoding a huge image would take the server's memory: 40 megapixels is past any screenshot. */
const MAX_IMAGE_PIXELS = 40_000_000;

const imageExtensions = new Set(['png', 'jpg', 'jpeg', 'jpe', 'webp', 'gif']);
const textExtensions = new Set<string>(textFileExtensions);

/** The image format the first bytes announce, or null. */
export function sniffImage(bytes: Uint8Array): ImageMediaType | null {
	const starts = (signature: number[], at = 0) => signature.every((b, i) => bytes[at + i] === b);
	if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
	if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
	if (starts([0x47, 0x49, 0x46, 0x38]) && (bytes[4] === 0x37 || bytes[4] === 0x39) && bytes[5] === 0x61)
		return 'image/gif';
	if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp';
	return null;
}

const sharpFormats: Record<ImageMediaType, string> = {
	'image/png': 'png',
	'image/jpeg': 'jpeg',
	'image/gif': 'gif',
	'image/webp': 'webp'
};

function extensionOf(name: string): string {
	const dot = name.lastIndexOf('.');
	return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

const refused = (message: string, cause?: unknown) =>
	new AppError('bad_request', message, { field: 'data', cause });

/**
 * Decides what a file is from its bytes: a PNG, JPEG, WebP or GIF that decodes whole, or UTF-8 text
 * with a text or source-code name. Anything else (HTML or SVG under any name, PDFs, archives, a
 * `.png` holding something that is not one) is refused with a message saying why.
 */
export async function inspectFile(
	name: string,
	bytes: Uint8Array,
	caps: AttachmentCaps,
	/** 'image' where only an image makes sense (an image part of a request): anything else is refused as one. */
	expect: 'image' | 'any' = 'any'
): Promise<InspectedFile> {
	const extension = extensionOf(name);
	const image = sniffImage(bytes);
	if (image) return inspectImage(name, bytes, image, caps);
	if (expect === 'image' || imageExtensions.has(extension)) {
		throw refused(`“${name}” is not a PNG, JPEG, WebP or GIF image: its contents are something else.`);
	}
	if (startsWithText(bytes, '%PDF-')) {
		throw refused(
			`“${name}” is a PDF. Switchboard reads images and text files only; paste the text instead.`
		);
	}
	if (!textExtensions.has(extension)) {
		throw refused(
			`“${name}” is not a supported file. Attach PNG, JPEG, WebP or GIF images, or text files (such as .txt, .md, .csv, .json or source code).`
		);
	}
	if (bytes.byteLength > caps.maxTextBytes) {
		throw refused(`“${name}” is larger than ${formatBytes(caps.maxTextBytes)}, the limit for text files.`);
	}
	if (!isUtf8Text(bytes)) throw refused(`“${name}” is not UTF-8 text.`);
	return { kind: 'text', mediaType: 'text/plain' };
}

async function inspectImage(
	name: string,
	bytes: Uint8Array,
	mediaType: ImageMediaType,
	caps: AttachmentCaps
): Promise<InspectedFile> {
	if (bytes.byteLength > caps.maxImageBytes) {
		throw refused(`“${name}” is larger than ${formatBytes(caps.maxImageBytes)}, the limit for images.`);
	}
	const sharp = await loadSharp();
	try {
		const decoder = sharp(bytes, { failOn: 'error', limitInputPixels: MAX_IMAGE_PIXELS, animated: true });
		const metadata = await decoder.metadata();
		if (metadata.format !== sharpFormats[mediaType] || !metadata.width || !metadata.height) {
			throw new Error(`decoded as ${metadata.format ?? 'nothing'}`);
		}
		// A full decode: a truncated or malformed image is refused here, not in a browser or a provider.
		await decoder.raw().toBuffer();
		return {
			kind: 'image',
			mediaType,
			width: metadata.width,
			height: metadata.pageHeight ?? metadata.height
		};
	} catch (cause) {
		throw refused(`“${name}” could not be read as an image (damaged, or over 40 megapixels).`, cause);
	}
}

function startsWithText(bytes: Uint8Array, prefix: string): boolean {
	return [...prefix].every((char, i) => bytes[i] === char.charCodeAt(0));
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function isUtf8Text(bytes: Uint8Array): boolean {
	if (bytes.includes(0)) return false;
	try {
		utf8.decode(bytes);
		return true;
	} catch {
		return false;
	}
}
