import { randomUUID } from 'node:crypto';
import {
	encodeChatCursor,
	type ChatCreateInput,
	type ChatListInput,
	type ChatSendInput,
	type ChatUpdateInput
} from '$lib/schemas/chats';
import type { Db } from '../db/client';
import * as chatRepo from '../db/repositories/chat-repository';
import {
	findOwnedMessage,
	insertMessages,
	settleStreamingMessage,
	type MessageRow,
	type NewMessage
} from '../db/repositories/message-repository';
import { AppError, writeFailed } from '../errors';
import { unsavedAnswer } from '../generation/persist';
import { buildHistory, titleFromMessage } from '../generation/history';
import type { ProviderManager, ResolvedModel } from '../providers/registry';
import { toChatDto, toMessageDto } from './dto';
import type { AttachmentWithData } from '../db/repositories/attachment-repository';
import type { AttachmentService } from './attachment-service';
import type { GenerationService } from './generation-service';

type Target = { providerId?: string; modelId?: string };
type ChatWithMessages = NonNullable<Awaited<ReturnType<typeof chatRepo.findChatWithMessages>>>;

/** A per-message provider switch without a model means that provider's default model. */
function pickTarget(chat: Target, input: Target): Target {
	if (input.providerId && input.providerId !== chat.providerId) {
		return { providerId: input.providerId, modelId: input.modelId };
	}
	return { providerId: input.providerId ?? chat.providerId, modelId: input.modelId ?? chat.modelId };
}

export class ChatService {
	constructor(
		private readonly deps: {
			db: Db;
			providers: ProviderManager;
			generations: GenerationService;
			attachments: AttachmentService;
		}
	) {}

	async list(userId: string, input: ChatListInput) {
		const rows = await chatRepo.listChats(this.deps.db, userId, {
			providerId: input.providerId,
			modelId: input.modelId,
			search: input.search || undefined,
			cursor: input.cursor ?? undefined,
			limit: input.limit + 1
		});
		const page = rows.slice(0, input.limit);
		return {
			items: page.map(toChatDto),
			nextCursor: rows.length > input.limit ? encodeChatCursor(page[page.length - 1]) : null
		};
	}

	async get(userId: string, chatId: string) {
		const chat = await chatRepo.findChatWithMessages(this.deps.db, userId, chatId);
		if (!chat) throw notFound();
		return { ...toChatDto(chat), messages: chat.messages.map(toMessageDto) };
	}

	async create(userId: string, input: ChatCreateInput) {
		const target = await this.defaultTarget(input);
		const row = await chatRepo.insertChat(this.deps.db, {
			userId,
			title: input.title ?? 'New chat',
			titleLocked: input.title !== undefined,
			providerId: target.providerId ?? null,
			modelId: target.modelId ?? null,
			systemPrompt: input.systemPrompt ?? null,
			temperature: input.temperature ?? null,
			maxTokens: input.maxTokens ?? null
		});
		return toChatDto(row);
	}

	async update(userId: string, input: ChatUpdateInput) {
		const current = await chatRepo.findChat(this.deps.db, userId, input.chatId);
		if (!current) throw notFound();
		const patch: chatRepo.ChatPatch = {};
		if (input.providerId !== undefined || input.modelId !== undefined) {
			const resolved = await this.deps.providers.resolve(pickTarget(current as Target, input));
			patch.providerId = resolved.providerId;
			patch.modelId = resolved.model.modelId;
		}
		if (input.title !== undefined) Object.assign(patch, { title: input.title, titleLocked: true });
		if (input.systemPrompt !== undefined) patch.systemPrompt = input.systemPrompt || null;
		if (input.temperature !== undefined) patch.temperature = input.temperature;
		if (input.maxTokens !== undefined) patch.maxTokens = input.maxTokens;
		const row = await chatRepo.updateChat(this.deps.db, userId, input.chatId, patch);
		if (!row) throw notFound();
		return toChatDto(row);
	}

	async delete(userId: string, chatId: string) {
		const running = await chatRepo.findChatWithMessages(this.deps.db, userId, chatId);
		if (!running) throw notFound();
		await Promise.all(
			running.messages
				.filter((m) => m.status === 'streaming')
				.map((m) => this.deps.generations.stop(m.id, userId))
		);
		await this.deps.db.transaction(async (tx) => {
			await chatRepo.deleteChat(tx, userId, chatId);
			await this.deps.attachments.collectGarbage(tx);
		});
		return { ok: true as const };
	}

	/** Saves the user's message and a `streaming` answer, then starts the answer detached. */
	async send(userId: string, input: ChatSendInput) {
		const chat = await chatRepo.findChatWithMessages(this.deps.db, userId, input.chatId);
		if (!chat) throw notFound();
		const attachmentIds = input.attachmentIds ?? [];
		// Checked before anything is written or called: the files, then a model that can read them.
		const fresh = await this.deps.attachments.forSend(userId, attachmentIds);
		const candidates = await this.deps.providers.candidates(pickTarget(chat as Target, input), {
			vision: fresh.some((a) => a.kind === 'image')
		});
		const first = candidates[0];
		const userMessageId = randomUUID();
		const attached = await this.attachedTo(chat);
		attached.set(userMessageId, fresh);
		return this.startAnswer(userId, chat, candidates, {
			userMessageId,
			attachmentIds,
			attached,
			userMessage: {
				id: userMessageId,
				chatId: chat.id,
				role: 'user',
				content: input.content,
				status: 'complete'
			},
			chatPatch: {
				providerId: first.providerId,
				modelId: first.model.modelId,
				...(chat.titleLocked || chat.messages.length > 0 ? {} : { title: titleFromMessage(input.content) }),
				...(input.temperature !== undefined ? { temperature: input.temperature } : {}),
				...(input.maxTokens !== undefined ? { maxTokens: input.maxTokens } : {})
			},
			temperature: input.temperature !== undefined ? input.temperature : chat.temperature,
			maxTokens: input.maxTokens !== undefined ? input.maxTokens : chat.maxTokens
		});
	}

	/** A new answer to the same user message, possibly from another provider or model. */
	async regenerate(userId: string, input: { messageId: string; providerId?: string; modelId?: string }) {
		const message = await this.ownedMessage(userId, input.messageId);
		const userMessageId = message.role === 'user' ? message.id : message.parentId;
		if (!userMessageId)
			throw new AppError('bad_request', 'This message cannot be regenerated.', { field: 'messageId' });
		if (message.role === 'assistant' && message.status === 'streaming') {
			if (this.deps.generations.isRunning(message.id)) {
				throw new AppError('conflict', 'This answer is still being written. Stop it first.');
			}
			await this.settleUnowned(message.id, { status: 'error', finishReason: 'error', error: unsavedAnswer });
		}
		const chat = await chatRepo.findChatWithMessages(this.deps.db, userId, message.chatId);
		if (!chat) throw notFound();
		const answered = {
			providerId: message.providerId ?? chat.providerId ?? undefined,
			modelId: message.modelId ?? chat.modelId ?? undefined
		};
		const attached = await this.attachedTo(chat);
		const candidates = await this.deps.providers.candidates(pickTarget(answered, input), {
			vision: (attached.get(userMessageId) ?? []).some((a) => a.kind === 'image')
		});
		return this.startAnswer(userId, chat, candidates, {
			userMessageId,
			attachmentIds: [],
			attached,
			chatPatch: {},
			temperature: chat.temperature,
			maxTokens: chat.maxTokens
		});
	}

	/**
	 * Holds one of the user's generation slots, writes the turn (the new user message if any, the
	 * `streaming` answer, the chat's update) in one transaction, then starts the answer detached.
	 */
	private async startAnswer(
		userId: string,
		chat: ChatWithMessages,
		candidates: ResolvedModel[],
		turn: {
			userMessageId: string;
			userMessage?: NewMessage;
			/** Uploads the new user message carries (linked in the turn's transaction). */
			attachmentIds: readonly string[];
			/** Every user message's attachments with their bytes, the new one's included. */
			attached: Map<string, AttachmentWithData[]>;
			chatPatch: chatRepo.ChatPatch;
			temperature: number | null;
			maxTokens: number | null;
		}
	) {
		const { db, generations } = this.deps;
		const release = generations.reserve(userId);
		try {
			const first = candidates[0];
			const assistantId = randomUUID();
			const now = Date.now();
			// Explicit times keep a turn's order stable: its rows come from one statement.
			const answer: NewMessage = {
				id: assistantId,
				chatId: chat.id,
				role: 'assistant',
				parentId: turn.userMessageId,
				status: 'streaming',
				providerId: first.providerId,
				modelId: first.model.modelId,
				createdAt: new Date(now + 1)
			};
			const rows = turn.userMessage ? [{ ...turn.userMessage, createdAt: new Date(now) }, answer] : [answer];
			const saved = await db.transaction(async (tx) => {
				const inserted = await insertMessages(tx, rows);
				await this.deps.attachments.link(tx, userId, turn.userMessageId, turn.attachmentIds);
				await chatRepo.updateChat(tx, userId, chat.id, turn.chatPatch);
				return inserted;
			});
			const history = buildHistory(
				[...chat.messages, ...saved.filter((m) => m.role === 'user')],
				turn.userMessageId,
				turn.attached
			);
			generations.start(
				{
					id: assistantId,
					userId,
					chatId: chat.id,
					messageId: assistantId,
					candidates,
					request: {
						messages: history,
						system: chat.systemPrompt ?? undefined,
						temperature: turn.temperature ?? undefined,
						maxTokens: turn.maxTokens ?? undefined
					}
				},
				release
			);
			return { chatId: chat.id, userMessageId: turn.userMessageId, assistantMessageId: assistantId };
		} catch (error) {
			release();
			throw error;
		}
	}

	/** Stops an answer being written; what streamed is kept as `stopped`. */
	async stop(userId: string, messageId: string) {
		const message = await this.ownedMessage(userId, messageId);
		if (await this.deps.generations.stop(message.id, userId)) return { stopped: true };
		if (message.status !== 'streaming') return { stopped: false };
		const stopped = await this.settleUnowned(message.id, {
			status: 'stopped',
			finishReason: 'aborted',
			error: null
		});
		return { stopped };
	}

	/**
	 * Ends an answer still `streaming` that no run owns (its final write failed), doing what the run
	 * could not. False when it had ended meanwhile; a refused write is a typed, retryable error.
	 */
	private async settleUnowned(
		messageId: string,
		values: Pick<MessageRow, 'status' | 'finishReason' | 'error'>
	): Promise<boolean> {
		try {
			return await settleStreamingMessage(this.deps.db, messageId, values);
		} catch (caught) {
			throw writeFailed(caught, 'this answer');
		}
	}

	/** The attachments of the chat's user messages (with their bytes), for the prompt. */
	private attachedTo(chat: ChatWithMessages): Promise<Map<string, AttachmentWithData[]>> {
		const ids = chat.messages.filter((m) => m.role === 'user' && m.attachments.length > 0).map((m) => m.id);
		return this.deps.attachments.ofMessages(ids);
	}

	private async defaultTarget(input: Target): Promise<Target> {
		if (input.providerId || input.modelId) {
			const resolved = await this.deps.providers.resolve(input);
			return { providerId: resolved.providerId, modelId: resolved.model.modelId };
		}
		const providerId = await this.deps.providers.defaultProviderId();
		if (!providerId) return {};
		return { providerId, modelId: (await this.deps.providers.defaultModelId(providerId)) ?? undefined };
	}

	async ownedMessage(userId: string, messageId: string) {
		const message = await findOwnedMessage(this.deps.db, userId, messageId);
		if (!message) throw new AppError('not_found', 'That message does not exist.');
		return message;
	}
}

function notFound() {
	return new AppError('not_found', 'That chat does not exist.');
}
