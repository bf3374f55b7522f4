import { z } from 'zod';
import { attachmentKinds, attachmentNameSchema, MAX_UPLOAD_BASE64_CHARS } from './attachments';
import { providerErrorCodeSchema } from './provider-error';
import {
	finishReasonSchema,
	MAX_CONTENT_BYTES,
	maxTokensSchema,
	seedSchema,
	stopSequencesSchema,
	temperatureSchema,
	topPSchema,
	uuidSchema
} from './common';
import { formatBytes } from '../format-bytes';

/*
 * The file `chats.export` writes and `chats.import` reads: every message of every branch with its
 * provider, model, usage figures and times, so an export imported again is the same chat. Ids in a
 * file only link its messages to each other: an import gives every chat and message a new id.
 */

export const EXPORT_FORMAT = 'switchboard-chats';
export const EXPORT_VERSION = 1;
/**
 * The largest file an import takes: room for a chat with several photos at the largest size an upload
 * takes (ATTACHMENT_MAX_IMAGE_BYTES, 10 MB, is 13.3 MB in base64), which 8 MB did not leave. The
 * server reads a body this large for chats.import alone, once the caller is signed in
 * (http/body-limit.ts).
 */
export const MAX_IMPORT_BYTES = 64 * 1024 * 1024;
/**
 * The largest export one response carries. The server builds the file whole (the chats, their files
 * in base64, the JSON text, the response), some five times its size in memory: past this an export
 * would take the server's memory, or pass the longest string V8 can make (about 512 MB), and fail.
 */
export const MAX_EXPORT_BYTES = 128 * 1024 * 1024;
export const MAX_IMPORT_CHATS = 1_000;
export const MAX_IMPORT_MESSAGES = 10_000;

const isoDate = z.iso.datetime({ offset: true }).transform((value) => new Date(value));
const fileId = z.string().min(1).max(100);
// Bounded by their columns (integer, numeric(14, 8)): a larger figure is a bad file, not a database error.
const tokens = z.number().int().min(0).max(2_147_483_647).nullable();

/**
 * A file sent with a user message, bytes included. Only `name` and `data` are believed on import:
 * kind, type, size and dimensions are worked out again from the bytes, as for an upload.
 */
export const exportedAttachmentSchema = z.object({
	name: attachmentNameSchema,
	kind: z.enum(attachmentKinds),
	mediaType: z.string().max(100),
	byteSize: z.number().int().min(1).max(2_147_483_647),
	width: z.number().int().positive().nullable().default(null),
	height: z.number().int().positive().nullable().default(null),
	data: z
		.string()
		.min(1, 'The file is empty')
		.max(MAX_UPLOAD_BASE64_CHARS, 'The file is larger than 16 MB')
		.regex(/^[A-Za-z0-9+/]*={0,2}$/, 'The file must be base64-encoded')
});

export const exportedMessageSchema = z.object({
	id: fileId,
	parentId: fileId.nullable(),
	role: z.enum(['user', 'assistant', 'system']),
	content: z.string().max(MAX_CONTENT_BYTES, `A message is at most ${MAX_CONTENT_BYTES / 1024} KB`),
	status: z.enum(['streaming', 'complete', 'stopped', 'error']),
	providerId: z.string().max(64).nullable(),
	modelId: z.string().max(200).nullable(),
	finishReason: finishReasonSchema.nullable(),
	error: z
		.object({
			code: providerErrorCodeSchema,
			message: z.string().max(2_000),
			retryAfterMs: z.number().optional()
		})
		.nullable(),
	inputTokens: tokens,
	outputTokens: tokens,
	/** Left out by files written before cached tokens were recorded. */
	cacheReadTokens: tokens.default(null),
	cacheWriteTokens: tokens.default(null),
	costUsd: z.number().min(0).max(999_999).nullable(),
	usageEstimated: z.boolean(),
	/** Left out by files written before attachments were exported. */
	attachments: z.array(exportedAttachmentSchema).max(32, 'At most 32 attachments').default([]),
	createdAt: isoDate,
	updatedAt: isoDate
});

export const exportedChatSchema = z
	.object({
		id: fileId,
		title: z.string().trim().min(1).max(200),
		titleLocked: z.boolean(),
		providerId: z.string().max(64).nullable(),
		modelId: z.string().max(200).nullable(),
		systemPrompt: z.string().max(MAX_CONTENT_BYTES).nullable(),
		temperature: temperatureSchema.nullable(),
		maxTokens: maxTokensSchema.nullable(),
		topP: topPSchema.nullable(),
		stopSequences: stopSequencesSchema.nullable(),
		seed: seedSchema.nullable(),
		activeLeafId: fileId.nullable(),
		createdAt: isoDate,
		updatedAt: isoDate,
		messages: z
			.array(exportedMessageSchema)
			.max(MAX_IMPORT_MESSAGES, `A chat holds at most ${MAX_IMPORT_MESSAGES} messages`)
	})
	.superRefine((chat, ctx) => {
		const ids = new Set<string>();
		chat.messages.forEach((m, i) => {
			if (ids.has(m.id))
				ctx.addIssue({ code: 'custom', path: ['messages', i, 'id'], message: 'Duplicate id' });
			ids.add(m.id);
		});
		chat.messages.forEach((m, i) => {
			if (m.role !== 'user' && m.attachments.length > 0) {
				ctx.addIssue({
					code: 'custom',
					path: ['messages', i, 'attachments'],
					message: 'Only a user message carries attachments'
				});
			}
			if (m.parentId !== null && !ids.has(m.parentId)) {
				ctx.addIssue({
					code: 'custom',
					path: ['messages', i, 'parentId'],
					message: 'No message with this id'
				});
			}
		});
		if (chat.activeLeafId !== null && !ids.has(chat.activeLeafId)) {
			ctx.addIssue({ code: 'custom', path: ['activeLeafId'], message: 'No message with this id' });
		}
		const cycle = findCycle(chat.messages);
		if (cycle !== null) {
			ctx.addIssue({
				code: 'custom',
				path: ['messages', cycle, 'parentId'],
				message: 'Messages form a loop'
			});
		}
	});

export const chatExportFileSchema = z.object({
	format: z.literal(EXPORT_FORMAT, `Not a Switchboard export (format must be "${EXPORT_FORMAT}")`),
	version: z.literal(EXPORT_VERSION, `Only version ${EXPORT_VERSION} exports can be imported`),
	exportedAt: isoDate,
	chats: z
		.array(exportedChatSchema)
		.min(1, 'The file holds no chats')
		.max(MAX_IMPORT_CHATS, `At most ${MAX_IMPORT_CHATS} chats per import`)
});

/** The index of a message whose parents lead back to itself, or null. */
function findCycle(messages: { id: string; parentId: string | null }[]): number | null {
	const parent = new Map(messages.map((m) => [m.id, m.parentId]));
	const safe = new Set<string>();
	for (let i = 0; i < messages.length; i++) {
		const trail = new Set<string>();
		for (let id: string | null | undefined = messages[i].id; id && !safe.has(id); id = parent.get(id)) {
			if (trail.has(id)) return i;
			trail.add(id);
		}
		trail.forEach((id) => safe.add(id));
	}
	return null;
}

/** What the UI, the SDK and the server say of a file over MAX_IMPORT_BYTES. */
export const IMPORT_TOO_LARGE = `The file is larger than ${formatBytes(MAX_IMPORT_BYTES)}`;

/**
 * Why an export could not be imported again as it is (its size, its number of chats, a chat's number
 * of messages), or null when it can: said when the file is made, not found out when it is imported.
 */
export function importLimitExceeded(file: {
	bytes: number;
	chats: number;
	largestChat: number;
}): string | null {
	const oneByOne = 'export the chats one at a time to import them elsewhere';
	if (file.largestChat > MAX_IMPORT_MESSAGES) {
		return `A chat in this file has ${file.largestChat} messages, and an import takes at most ${MAX_IMPORT_MESSAGES} per chat: that chat cannot be imported again.`;
	}
	if (file.chats > MAX_IMPORT_CHATS) {
		return `This file holds ${file.chats} chats, and an import takes at most ${MAX_IMPORT_CHATS}: ${oneByOne}.`;
	}
	if (file.bytes > MAX_IMPORT_BYTES) {
		const advice = file.chats > 1 ? `: ${oneByOne}` : ', so it cannot be imported again';
		return `This file is ${formatBytes(file.bytes)}, and an import takes at most ${formatBytes(MAX_IMPORT_BYTES)}${advice}.`;
	}
	return null;
}

/**
 * About how large an export's file will be, from what the database counted: the text, the files in
 * base64, and each message's, file's and chat's other fields as pretty-printed JSON (about 700, 300
 * and 500 bytes), a little more than they take.
 */
export function estimatedExportBytes(size: {
	chats: number;
	messages: number;
	textBytes: number;
	files: number;
	fileBytes: number;
}): number {
	const base64 = Math.ceil(size.fileBytes / 3) * 4;
	return size.textBytes * 1.1 + base64 + size.messages * 700 + size.files * 300 + size.chats * 500;
}

/** Why an export is too large to make, or null: refused before anything is loaded. */
export function exportTooLarge(estimatedBytes: number, chats: number): string | null {
	if (estimatedBytes <= MAX_EXPORT_BYTES) return null;
	const what = chats === 1 ? 'This chat comes' : `These ${chats} chats come`;
	const advice =
		chats === 1 ? 'An admin’s database backup keeps it (npm run db:backup).' : 'Export them one at a time.';
	return `${what} to about ${formatBytes(estimatedBytes)}, more than one export holds (${formatBytes(MAX_EXPORT_BYTES)}). ${advice}`;
}

export const exportFormats = ['json', 'markdown'] as const;
export const chatExportInput = z.object({
	/** One chat, or every chat of the user when left out. */
	chatId: uuidSchema.optional(),
	format: z.enum(exportFormats).default('json')
});

/** The file's text as read (so an oversized or malformed file is refused with its reason, not a 500). */
export const chatImportInput = z.object({
	data: z
		.string()
		.min(1, 'The file is empty')
		.refine(
			(s) => s.length <= MAX_IMPORT_BYTES && new TextEncoder().encode(s).length <= MAX_IMPORT_BYTES,
			IMPORT_TOO_LARGE
		)
});

export type ChatExportFile = z.input<typeof chatExportFileSchema>;
export type ExportedAttachment = z.output<typeof exportedAttachmentSchema>;
export type ParsedChatExport = z.output<typeof chatExportFileSchema>;
export type ChatExportInput = z.input<typeof chatExportInput>;
