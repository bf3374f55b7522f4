import { z } from 'zod';
import { uuidSchema } from './common';

/** Images a vision model may see; the type is decided from the bytes, never from the name. */
export const imageMediaTypes = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] as const;
export type ImageMediaType = (typeof imageMediaTypes)[number];

export const attachmentKinds = ['image', 'text'] as const;
export type AttachmentKind = (typeof attachmentKinds)[number];

/**
 * Text files attached as context: plain text, Markdown, CSV, JSON and source code. The name picks
 * the label only; the bytes must still be UTF-8 text without NUL bytes.
 */
export const textFileExtensions = [
	'txt',
	'text',
	'log',
	'md',
	'markdown',
	'csv',
	'tsv',
	'json',
	'jsonl',
	'yaml',
	'yml',
	'toml',
	'ini',
	'xml',
	'js',
	'mjs',
	'cjs',
	'ts',
	'tsx',
	'jsx',
	'svelte',
	'vue',
	'py',
	'rb',
	'go',
	'rs',
	'java',
	'kt',
	'c',
	'h',
	'cc',
	'cpp',
	'hpp',
	'cs',
	'swift',
	'php',
	'sh',
	'bash',
	'sql',
	'css',
	'scss',
	'lua',
	'r',
	'pl',
	'ex',
	'exs',
	'hs',
	'scala',
	'dart',
	'zig'
] as const;

/** What the file picker offers; anything else dropped or pasted is still checked and refused clearly. */
export const acceptedFileTypes = [...imageMediaTypes, ...textFileExtensions.map((e) => `.${e}`)].join(',');

/**
 * The largest upload the API reads at all (base64 of 16 MB); the configured caps
 * (ATTACHMENT_MAX_IMAGE_BYTES, ATTACHMENT_MAX_TEXT_BYTES) are checked on the decoded bytes.
 */
export const MAX_UPLOAD_BASE64_CHARS = Math.ceil((16 * 1024 * 1024) / 3) * 4;

export const attachmentNameSchema = z
	.string()
	.trim()
	.min(1, 'The file needs a name')
	.max(255, 'File names are limited to 255 characters')
	.refine(
		(s) => ![...s].some((c) => c === '/' || c === '\\' || c.charCodeAt(0) < 0x20),
		'A file name cannot contain slashes or control characters'
	);

export const attachmentUploadInput = z.object({
	name: attachmentNameSchema,
	/** The file's bytes, base64-encoded (the transport is JSON). */
	data: z
		.string()
		.min(1, 'The file is empty')
		.max(MAX_UPLOAD_BASE64_CHARS, 'The file is larger than 16 MB')
		.regex(/^[A-Za-z0-9+/]*={0,2}$/, 'The file must be base64-encoded')
});
export type AttachmentUploadInput = z.infer<typeof attachmentUploadInput>;

/** Attachments uploaded with attachments.upload, sent with a message; the count cap is a setting. */
export const attachmentIdsSchema = z.array(uuidSchema).max(32, 'At most 32 attachments');

/**
 * An image inside a stateless request (completions, the compatible APIs): base64 bytes whose type
 * is decided from the bytes on the server, like an upload's.
 */
export const inlineImageSchema = z.object({
	data: z
		.string()
		.min(1, 'The image is empty')
		.max(MAX_UPLOAD_BASE64_CHARS, 'The image is larger than 16 MB')
		.regex(/^[A-Za-z0-9+/]*={0,2}$/, 'The image must be base64-encoded'),
	name: attachmentNameSchema.optional()
});
export type InlineImage = z.infer<typeof inlineImageSchema>;

export const attachmentIdInput = z.object({ attachmentId: uuidSchema });

/** Bytes as the upload's `data` (browsers and Node alike; chunks keep the argument lists short). */
export function encodeBase64(bytes: Uint8Array): string {
	let binary = '';
	for (let i = 0; i < bytes.length; i += 0x8000) {
		binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
	}
	return btoa(binary);
}

/** Where the browser fetches an attachment's bytes (owner and admins only; the id is random). */
export function attachmentUrl(id: string): string {
	return `/api/attachments/${id}`;
}
