import { createHash } from 'node:crypto';
import type { AttachmentUploadInput, InlineImage } from '$lib/schemas/attachments';
import type { AuthUser } from '$lib/schemas/auth';
import type { Db, Executor } from '../db/client';
import {
	deleteOrphanBlobs,
	deleteUnsentAttachments,
	findAttachmentWithData,
	findUnsentAttachments,
	insertAttachment,
	linkAttachments,
	listPromptAttachments,
	type AttachmentWithData
} from '../db/repositories/attachment-repository';
import { inspectFile, type AttachmentCaps } from '../attachments/inspect-file';
import type { PromptAttachment } from '../attachments/prompt-parts';
import { AppError } from '../errors';
import type { ChatImage } from '../providers/types';
import { toAttachmentDto } from './dto';

/** An upload not sent within a day belongs to a tab that was closed: it goes at the next upload. */
const UNSENT_TTL_MS = 24 * 60 * 60 * 1000;

export type AttachmentSettings = AttachmentCaps & { maxPerMessage: number };
export type CheckedFile = Awaited<ReturnType<AttachmentService['check']>>;

/** Uploads, checks and stores files; hands their bytes to their owner (and admins) and to prompts. */
export class AttachmentService {
	constructor(private readonly deps: { db: Db; settings: AttachmentSettings }) {}

	async upload(userId: string, input: AttachmentUploadInput) {
		const file = await this.check(userId, input.name, Buffer.from(input.data, 'base64'));
		const { db } = this.deps;
		await deleteUnsentAttachments(db, userId, new Date(Date.now() - UNSENT_TTL_MS));
		const row = await insertAttachment(db, file.values, file.blob);
		return toAttachmentDto(row);
	}

	/**
	 * The files of one imported message, checked exactly as uploads are (type from the bytes, size
	 * caps, images decoded) and within the per-message cap, one after another to bound memory. Nothing
	 * is written: the import stores them with its messages, in its transaction.
	 */
	async checkImported(
		userId: string,
		files: readonly { name: string; data: string }[]
	): Promise<CheckedFile[]> {
		if (files.length > this.deps.settings.maxPerMessage) {
			throw new AppError(
				'bad_request',
				`A message can carry at most ${this.deps.settings.maxPerMessage} files.`,
				{ field: 'data' }
			);
		}
		const checked: CheckedFile[] = [];
		for (const file of files)
			checked.push(await this.check(userId, file.name, Buffer.from(file.data, 'base64')));
		return checked;
	}

	/** What the bytes are (never what the name says) and their hash, ready to store for `userId`. */
	private async check(userId: string, name: string, bytes: Buffer) {
		if (bytes.byteLength === 0) throw new AppError('bad_request', 'The file is empty.', { field: 'data' });
		const inspected = await inspectFile(name, bytes, this.deps.settings);
		return {
			values: {
				userId,
				name,
				kind: inspected.kind,
				mediaType: inspected.mediaType,
				width: inspected.kind === 'image' ? inspected.width : null,
				height: inspected.kind === 'image' ? inspected.height : null
			},
			blob: { sha256: createHash('sha256').update(bytes).digest('hex'), data: bytes }
		};
	}

	/** The file for its owner, or for an admin; anyone else is told it does not exist. */
	async read(user: Pick<AuthUser, 'id' | 'role'>, attachmentId: string): Promise<AttachmentWithData> {
		const row = await findAttachmentWithData(
			this.deps.db,
			attachmentId,
			user.role === 'admin' ? null : user.id
		);
		if (!row) throw notFound();
		return row;
	}

	/**
	 * The uploads a message is about to carry, with their bytes: the user's own, not sent before, and
	 * within the per-message cap. Checked before anything is written.
	 */
	async forSend(userId: string, ids: readonly string[]): Promise<AttachmentWithData[]> {
		const unique = [...new Set(ids)];
		if (unique.length > this.deps.settings.maxPerMessage) {
			throw new AppError(
				'bad_request',
				`A message can carry at most ${this.deps.settings.maxPerMessage} files.`,
				{
					field: 'attachmentIds'
				}
			);
		}
		const found = await findUnsentAttachments(this.deps.db, userId, unique);
		if (found.length !== unique.length) {
			throw new AppError(
				'bad_request',
				'An attachment is missing or was already sent. Attach the file again.',
				{
					field: 'attachmentIds'
				}
			);
		}
		return found;
	}

	/** Inside the send's transaction: the uploads now belong to the message (and stop being unsent). */
	async link(tx: Executor, userId: string, messageId: string, ids: readonly string[]): Promise<void> {
		const linked = await linkAttachments(tx, userId, messageId, [...new Set(ids)]);
		if (linked !== new Set(ids).size) {
			throw new AppError(
				'conflict',
				'An attachment was sent with another message meanwhile. Attach the file again.',
				{
					field: 'attachmentIds'
				}
			);
		}
	}

	/** What a prompt needs of these messages' attachments (bytes included), grouped by message. */
	async forPrompt(messageIds: readonly string[]): Promise<Map<string, PromptAttachment[]>> {
		const rows = await listPromptAttachments(this.deps.db, messageIds);
		const byMessage = new Map<string, PromptAttachment[]>();
		for (const { messageId, ...attachment } of rows) {
			if (!messageId) continue;
			byMessage.set(messageId, [...(byMessage.get(messageId) ?? []), attachment]);
		}
		return byMessage;
	}

	/**
	 * Images sent inline (completions, the compatible APIs): each checked from its bytes like an
	 * upload, within the per-message cap, and returned as the provider layer takes them.
	 */
	async checkInlineImages(images: readonly InlineImage[], param: string): Promise<ChatImage[]> {
		if (images.length > this.deps.settings.maxPerMessage) {
			throw new AppError(
				'bad_request',
				`A message can carry at most ${this.deps.settings.maxPerMessage} images.`,
				{
					field: param
				}
			);
		}
		return Promise.all(
			images.map(async (image, i) => {
				const name = image.name ?? `image ${i + 1}`;
				const inspected = await inspectFile(
					name,
					Buffer.from(image.data, 'base64'),
					this.deps.settings,
					'image'
				);
				// inspectFile with 'image' returns images only; the check keeps the type narrow.
				if (inspected.kind !== 'image') throw new AppError('bad_request', `“${name}” is not an image.`);
				return { mediaType: inspected.mediaType, data: image.data, name };
			})
		);
	}

	/** After a chat went (its attachment rows with it): bytes nothing else refers to are removed. */
	async collectGarbage(tx: Executor): Promise<void> {
		await deleteOrphanBlobs(tx);
	}
}

function notFound() {
	return new AppError('not_found', 'That attachment does not exist.');
}
