import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
	chatExportFileSchema,
	EXPORT_FORMAT,
	EXPORT_VERSION,
	estimatedExportBytes,
	exportTooLarge,
	importLimitExceeded,
	type ChatExportInput,
	type ParsedChatExport
} from '$lib/schemas/chat-export';
import { activePath, childrenIndex } from '$lib/schemas/conversation-tree';
import type { Db } from '../db/client';
import {
	exportSize,
	findChatsForExport,
	insertImportedChats,
	providerIds
} from '../db/repositories/chat-transfer-repository';
import {
	insertImportedAttachments,
	listChatAttachments,
	listChatAttachmentsWithData,
	type AttachmentWithData
} from '../db/repositories/attachment-repository';
import type { NewMessage } from '../db/repositories/message-repository';
import { AppError } from '../errors';
import type { AttachmentService, CheckedFile } from './attachment-service';
import { chatToMarkdown } from './chat-markdown';
import { TransferAdmission } from './transfer-admission';
import { toChatDto, toMessageDto } from './dto';

type ChatRows = Awaited<ReturnType<typeof findChatsForExport>>;
type ImportedFile = CheckedFile & { values: { messageId: string; createdAt: Date } };

/** An export past this size (estimated) takes a place among the transfers running, for its memory. */
const LARGE_EXPORT_BYTES = 16 * 1024 * 1024;

function toExportedAttachment(row: AttachmentWithData) {
	return {
		name: row.name,
		kind: row.kind,
		mediaType: row.mediaType,
		byteSize: row.byteSize,
		width: row.width,
		height: row.height,
		data: row.data.toString('base64')
	};
}

function toExportedChat(row: ChatRows[number], files: Map<string, AttachmentWithData[]>) {
	const { activeLeafId: _stored, ...chat } = toChatDto(row);
	return {
		...chat,
		titleLocked: row.titleLocked,
		// The leaf as shown (a stored leaf may be gone), so the file always names one of its messages.
		activeLeafId: activePath(row.messages, row.activeLeafId).at(-1)?.id ?? null,
		messages: row.messages.map((m) => {
			const { chatId: _chatId, ...message } = toMessageDto(m);
			const attachments = (files.get(m.id) ?? []).map(toExportedAttachment);
			return { ...message, attachments, updatedAt: m.updatedAt };
		})
	};
}

export type ExportedChat = ReturnType<typeof toExportedChat>;

/** The first few problems of a refused file, each with where it is: `chats[0].messages[3].role: …`. */
function describeIssues(error: z.ZodError): string {
	const issues = error.issues.slice(0, 3).map((issue) => {
		const where = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
		return `${where.replace(/^\./, '') || 'file'}: ${issue.message}`;
	});
	const more = error.issues.length > 3 ? ` (and ${error.issues.length - 3} more)` : '';
	return `${issues.join('; ')}${more}`;
}

/** Parents before children, so each message's parent is written before it. */
function parentsFirst<T extends { id: string; parentId: string | null; createdAt: Date }>(
	messages: T[]
): T[] {
	const children = childrenIndex(messages);
	const ordered: T[] = [];
	const queue = [...(children.get(null) ?? [])];
	while (queue.length > 0) {
		const next = queue.shift()!;
		ordered.push(next);
		queue.push(...(children.get(next.id) ?? []));
	}
	return ordered;
}

/**
 * Export and import of chats: JSON that keeps everything (every branch, provider and model per
 * message, usage, times) and Markdown for reading. An import trusts no id: every chat and message
 * gets a new one, the chats belong to the importer, and it is written whole or not at all.
 */
export class ChatTransferService {
	/**
	 * Imports and large exports running now; the router admits an import before its body is read
	 * (see `admitImport`).
	 */
	readonly #transfers = new TransferAdmission();

	constructor(private readonly deps: { db: Db; attachments: AttachmentService }) {}

	/** Lets `userId` start an import, or throws TOO_MANY_REQUESTS; the function returned ends it. */
	admitImport(userId: string): () => void {
		return this.#transfers.enter(userId);
	}

	async export(userId: string, input: ChatExportInput) {
		// Counted before anything is loaded: a file too large to build is refused, not attempted.
		const size = await exportSize(this.deps.db, userId, input.chatId);
		if (input.chatId && size.chats === 0) throw new AppError('not_found', 'That chat does not exist.');
		// Markdown names the files without their bytes.
		const markdown = input.format === 'markdown';
		const estimate = estimatedExportBytes(markdown ? { ...size, files: 0, fileBytes: 0 } : size);
		const tooLarge = exportTooLarge(estimate, size.chats);
		if (tooLarge) throw new AppError('bad_request', tooLarge);
		// A large one takes a place as an import does (one a person, two a process), for its memory.
		const end = estimate > LARGE_EXPORT_BYTES ? this.#transfers.enter(userId) : () => {};
		try {
			return await this.#build(userId, input);
		} finally {
			end();
		}
	}

	async #build(userId: string, input: ChatExportInput) {
		const rows = await findChatsForExport(this.deps.db, userId, input.chatId);
		const files = new Map<string, AttachmentWithData[]>();
		const listed =
			input.format === 'markdown'
				? // Markdown names the files only: their bytes are never read.
					(await listChatAttachments(this.deps.db, userId, input.chatId)).map((file) => ({
						...file,
						data: Buffer.alloc(0)
					}))
				: await listChatAttachmentsWithData(this.deps.db, userId, input.chatId);
		for (const file of listed) {
			files.set(file.messageId!, [...(files.get(file.messageId!) ?? []), file]);
		}
		const chats = rows.map((row) => toExportedChat(row, files));
		const stamp = new Date().toISOString().slice(0, 10);
		const name = input.chatId ? `switchboard-chat-${stamp}` : `switchboard-chats-${stamp}`;
		if (input.format === 'markdown') {
			return {
				filename: `${name}.md`,
				mimeType: 'text/markdown',
				content: chats.map(chatToMarkdown).join('\n---\n\n'),
				importNote: null
			};
		}
		const file = { format: EXPORT_FORMAT, version: EXPORT_VERSION, exportedAt: new Date(), chats };
		const content = JSON.stringify(file, null, 2);
		// An export is made to be imported again: one that could not be says so now, with what to do.
		const importNote = importLimitExceeded({
			bytes: Buffer.byteLength(content),
			chats: chats.length,
			largestChat: Math.max(0, ...chats.map((chat) => chat.messages.length))
		});
		return { filename: `${name}.json`, mimeType: 'application/json', content, importNote };
	}

	async import(userId: string, data: string) {
		const parsed = parseFile(data);
		const knownProviders = await providerIds(this.deps.db);
		const rows = parsed.chats.map(({ messages: fileMessages, id: _fileId, ...chat }) => {
			const file = { ...chat, messages: fileMessages };
			const ids = new Map(file.messages.map((m) => [m.id, randomUUID()]));
			const newId = (id: string | null) => (id === null ? null : ids.get(id)!);
			// A chat's provider must exist here (the column references it); its messages keep theirs as text.
			const known = chat.providerId !== null && knownProviders.has(chat.providerId);
			const messages: NewMessage[] = parentsFirst(file.messages).map(({ attachments: _files, ...m }) => ({
				...m,
				id: newId(m.id)!,
				parentId: newId(m.parentId),
				chatId: '',
				costUsd: m.costUsd === null ? null : String(m.costUsd),
				// Nothing will finish an answer that was being written when it was exported.
				...(m.status === 'streaming'
					? {
							status: 'error' as const,
							error: { code: 'aborted', message: 'The answer was cut off at export.' }
						}
					: {})
			}));
			const chatId = randomUUID();
			for (const m of messages) m.chatId = chatId;
			return {
				chat: {
					...chat,
					id: chatId,
					userId,
					providerId: known ? chat.providerId : null,
					modelId: known ? chat.modelId : null,
					activeLeafId: newId(chat.activeLeafId)
				},
				messages,
				newId
			};
		});
		const files = await this.checkAttachments(userId, parsed, rows);
		await this.deps.db.transaction(async (tx) => {
			await insertImportedChats(tx, rows);
			await insertImportedAttachments(tx, files);
		});
		return {
			chats: rows.map((r) => ({ id: r.chat.id, title: r.chat.title })),
			messages: rows.reduce((sum, r) => sum + r.messages.length, 0)
		};
	}

	/**
	 * Every file of the import checked as an upload would be, before anything is written, each tied
	 * to its message's new id; a refused one names where it is in the file and why.
	 */
	private async checkAttachments(
		userId: string,
		parsed: ParsedChatExport,
		rows: { newId: (id: string | null) => string | null }[]
	): Promise<ImportedFile[]> {
		const checked: ImportedFile[] = [];
		// A message's files are read oldest first: a millisecond apart, they keep the file's order.
		const start = Date.now();
		for (const [c, chat] of parsed.chats.entries()) {
			for (const [m, message] of chat.messages.entries()) {
				if (message.attachments.length === 0) continue;
				const messageId = rows[c].newId(message.id)!;
				try {
					const files = await this.deps.attachments.checkImported(userId, message.attachments);
					for (const file of files) {
						const createdAt = new Date(start + checked.length);
						checked.push({ ...file, values: { ...file.values, messageId, createdAt } });
					}
				} catch (cause) {
					if (!(cause instanceof AppError)) throw cause;
					throw new AppError(
						cause.code,
						`The file cannot be imported: chats[${c}].messages[${m}].attachments: ${cause.message}`,
						{ field: 'data', cause }
					);
				}
			}
		}
		return checked;
	}
}

/** The file as JSON and then as an export; anything else is a typed error saying what is wrong. */
function parseFile(data: string): ParsedChatExport {
	let json: unknown;
	try {
		json = JSON.parse(data);
	} catch (cause) {
		throw new AppError('bad_request', `The file is not JSON: ${(cause as Error).message}`, {
			field: 'data',
			cause
		});
	}
	const result = chatExportFileSchema.safeParse(json);
	if (!result.success) {
		throw new AppError('bad_request', `The file cannot be imported: ${describeIssues(result.error)}`, {
			field: 'data',
			cause: result.error
		});
	}
	return result.data;
}
