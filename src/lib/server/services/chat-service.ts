import { randomUUID } from 'node:crypto';
import {
	encodeChatCursor,
	type ChatCompareInput,
	type ChatCreateInput,
	type ChatEditInput,
	type ChatListInput,
	type ChatSendInput,
	type ChatUpdateInput
} from '$lib/schemas/chats';
import { activePath, comparedAnswers, newestLeaf, pathTo } from '$lib/schemas/conversation-tree';
import type { Db } from '../db/client';
import * as chatRepo from '../db/repositories/chat-repository';
import {
	findOwnedMessage,
	settleStreamingMessage,
	type MessageRow,
	type NewMessage
} from '../db/repositories/message-repository';
import { AppError, writeFailed } from '../errors';
import { unsavedAnswer } from '../generation/persist';
import { buildHistory, titleFromMessage } from '../generation/history';
import type { ProviderManager, ResolvedModel } from './provider-manager';
import type { GenerationOutcome, GenerationSpec } from '../generation/spec';
import type { HeadStart } from '../generation/head-start';
import { resolveSampling, type SamplingInput } from './chat-sampling';
import { toChatDto, toMessageDto } from './dto';
import type { Caller } from '../auth/caller';
import type { AttachmentWithData } from '../db/repositories/attachment-repository';
import type { PromptAttachment } from '../attachments/prompt-parts';
import type { AttachmentService } from './attachment-service';
import type { GenerationService } from './generation-service';
import type { TitleService } from './title-service';
import type { PendingStarts } from '../generation/pending-starts';
import { findUniqueViolation } from '../db/unavailable';

type Target = { providerId?: string; modelId?: string };
/** A chat as a turn reads it: the chat's row and what a turn needs of each message. */
type ChatForTurn = NonNullable<Awaited<ReturnType<typeof chatRepo.findChatForTurn>>>;

/** A per-message provider switch without a model means that provider's default model. */
function pickTarget(chat: Target, input: Target): Target {
	if (input.providerId && input.providerId !== chat.providerId) {
		return { providerId: input.providerId, modelId: input.modelId };
	}
	return { providerId: input.providerId ?? chat.providerId, modelId: input.modelId ?? chat.modelId };
}

/** What a chat remembers: an alias stays an alias, so repointing it moves the chat too. */
function storedTarget(resolved: ResolvedModel): { providerId: string | null; modelId: string } {
	return resolved.alias
		? { providerId: null, modelId: resolved.alias }
		: { providerId: resolved.providerId, modelId: resolved.model.modelId };
}

export class ChatService {
	constructor(
		private readonly deps: {
			db: Db;
			providers: ProviderManager;
			generations: GenerationService;
			attachments: AttachmentService;
			titles: TitleService;
			starts: PendingStarts;
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

	async create(userId: string, input: ChatCreateInput) {
		const row = await chatRepo.insertChat(this.deps.db, await this.newChatValues(userId, input));
		return toChatDto(row);
	}

	/** A new chat's columns: the settings asked for, the default provider and model otherwise. */
	private async newChatValues(userId: string, input: ChatCreateInput) {
		const target = await this.defaultTarget(input);
		return {
			userId,
			title: input.title ?? 'New chat',
			titleLocked: input.title !== undefined,
			providerId: target.providerId ?? null,
			modelId: target.modelId ?? null,
			systemPrompt: input.systemPrompt ?? null,
			temperature: input.temperature ?? null,
			maxTokens: input.maxTokens ?? null,
			topP: input.topP ?? null,
			stopSequences: input.stopSequences ?? null,
			seed: input.seed ?? null
		};
	}

	/**
	 * The chat a send into a new chat (`newChat`) writes in its own transaction, as it will be: read
	 * from nothing, so the turn costs no look-up. The send's model, if it names one, is the chat's.
	 */
	private async unsavedChat(userId: string, input: ChatSendInput): Promise<ChatForTurn> {
		const values = await this.newChatValues(userId, {
			...input.newChat,
			providerId: input.providerId ?? input.newChat?.providerId,
			modelId: input.modelId ?? input.newChat?.modelId
		});
		const now = new Date();
		return {
			...values,
			id: input.chatId,
			activeLeafId: null,
			comparing: null,
			createdAt: now,
			updatedAt: now,
			messages: []
		};
	}

	async update(userId: string, input: ChatUpdateInput) {
		const current = await chatRepo.findChat(this.deps.db, userId, input.chatId);
		if (!current) throw notFound();
		const patch: chatRepo.ChatPatch = {};
		if (input.providerId !== undefined || input.modelId !== undefined) {
			const resolved = await this.deps.providers.resolve(pickTarget(current as Target, input));
			Object.assign(patch, storedTarget(resolved));
		}
		if (input.title !== undefined) Object.assign(patch, { title: input.title, titleLocked: true });
		if (input.systemPrompt !== undefined) patch.systemPrompt = input.systemPrompt || null;
		Object.assign(patch, resolveSampling(current, input).patch);
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
				.map((m) => this.deps.generations.stopAnywhere(m.id, userId))
		);
		await this.deps.db.transaction(async (tx) => {
			await chatRepo.deleteChat(tx, userId, chatId);
			await this.deps.attachments.collectGarbage(tx);
		});
		return { ok: true as const };
	}

	/**
	 * The chat with every message (the tree), the leaf of the branch on screen (always one of them)
	 * and the answers of a comparison not yet resolved, so a reload shows them side by side again.
	 */
	async get(userId: string, chatId: string) {
		const chat = await chatRepo.findChatWithMessages(this.deps.db, userId, chatId);
		if (!chat) throw notFound();
		return {
			...toChatDto(chat),
			activeLeafId: activePath(chat.messages, chat.activeLeafId).at(-1)?.id ?? null,
			comparing: comparedAnswers(chat.messages, chat.comparing),
			messages: chat.messages.map(toMessageDto)
		};
	}

	/**
	 * Saves the user's message after the branch on screen and a `streaming` answer, then starts it.
	 * With a client-chosen answer id, a watcher may already be waiting for it: it hears the start, or
	 * this send's error.
	 */
	async send(caller: Caller, input: ChatSendInput) {
		const { userId } = caller;
		const announced = input.assistantMessageId;
		if (!announced) return this.sendTurn(caller, input);
		return this.deps.starts.announcing(announced, userId, () => this.sendTurn(caller, input));
	}

	private async sendTurn(caller: Caller, input: ChatSendInput) {
		const { userId } = caller;
		const chat = input.newChat
			? await this.unsavedChat(userId, input)
			: await chatRepo.findChatForTurn(this.deps.db, userId, input.chatId);
		if (!chat) throw notFound();
		const attachmentIds = input.attachmentIds ?? [];
		// Checked before anything is written or called: the files, then a model that can read them.
		const fresh = await this.deps.attachments.forSend(userId, attachmentIds);
		const candidates = await this.chain(caller, pickTarget(chat as Target, input), fresh);
		const parentId = activePath(chat.messages, chat.activeLeafId).at(-1)?.id ?? null;
		const started = await this.startTurn(caller, chat, [candidates], {
			...input,
			parentId,
			attachmentIds,
			fresh,
			newChat: !!input.newChat
		});
		return single(started);
	}

	/**
	 * A new version of a sent user message: a sibling of it, so the old branch stays as it was. The
	 * new version is the edited text alone: attachments belong to the message they were sent with.
	 */
	async edit(caller: Caller, input: ChatEditInput) {
		const { userId } = caller;
		const message = await this.ownedMessage(userId, input.messageId);
		if (message.role !== 'user') {
			throw new AppError('bad_request', 'Only your own messages can be edited.', { field: 'messageId' });
		}
		const chat = await chatRepo.findChatForTurn(this.deps.db, userId, message.chatId);
		if (!chat) throw notFound();
		const candidates = await this.chain(caller, pickTarget(chat as Target, input));
		const started = await this.startTurn(caller, chat, [candidates], {
			...input,
			parentId: message.parentId
		});
		return single(started);
	}

	/**
	 * One prompt to 2-4 models: one user message and a sibling answer per model, each holding its own
	 * generation slot. Each column falls back as a send does; its answer names the model that wrote it.
	 */
	async compare(caller: Caller, input: ChatCompareInput) {
		const { userId } = caller;
		const chat = await chatRepo.findChatForTurn(this.deps.db, userId, input.chatId);
		if (!chat) throw notFound();
		const attachmentIds = input.attachmentIds ?? [];
		const fresh = await this.deps.attachments.forSend(userId, attachmentIds);
		const columns = await Promise.all(input.targets.map((target) => this.chain(caller, target, fresh)));
		const parentId = activePath(chat.messages, chat.activeLeafId).at(-1)?.id ?? null;
		return this.startTurn(caller, chat, columns, { ...input, parentId, attachmentIds, fresh });
	}

	/** Shows the branch through a message (its newest continuation) and keeps that choice for reloads. */
	async selectBranch(userId: string, messageId: string) {
		const message = await this.ownedMessage(userId, messageId);
		const chat = await chatRepo.findChatForTurn(this.deps.db, userId, message.chatId);
		if (!chat) throw notFound();
		const leaf = newestLeaf(chat.messages, message.id) ?? message;
		// Moving between branches is reading, not writing: the chat keeps its place in the list.
		// Choosing a branch also ends a comparison (keeping one of its answers is such a choice).
		await chatRepo.updateChat(this.deps.db, userId, chat.id, {
			activeLeafId: leaf.id,
			comparing: null,
			updatedAt: chat.updatedAt
		});
		return { chatId: chat.id, activeLeafId: leaf.id };
	}

	/** A new answer to the same user message, possibly from another provider or model. */
	async regenerate(caller: Caller, input: { messageId: string; providerId?: string; modelId?: string }) {
		const { userId } = caller;
		const message = await this.ownedMessage(userId, input.messageId);
		const userMessageId = message.role === 'user' ? message.id : message.parentId;
		if (!userMessageId)
			throw new AppError('bad_request', 'This message cannot be regenerated.', { field: 'messageId' });
		if (message.role === 'assistant' && message.status === 'streaming') {
			if (await this.deps.generations.isRunningAnywhere(message.id)) {
				throw new AppError('conflict', 'This answer is still being written. Stop it first.');
			}
			await this.settleUnowned(message.id, { status: 'error', finishReason: 'error', error: unsavedAnswer });
		}
		const chat = await chatRepo.findChatForTurn(this.deps.db, userId, message.chatId);
		if (!chat) throw notFound();
		const answered = {
			providerId: message.providerId ?? chat.providerId ?? undefined,
			modelId: message.modelId ?? chat.modelId ?? undefined
		};
		const attached = await this.attachedOnBranch(chat, userMessageId);
		const candidates = await this.chain(caller, pickTarget(answered, input), attached.get(userMessageId));
		return single(
			await this.startAnswers(caller, chat, [candidates], {
				userMessageId,
				attachmentIds: [],
				attached,
				chatPatch: {},
				sampling: {}
			})
		);
	}

	/** A new user message (after `parentId`) and its answers; the first message of a chat also names it. */
	private async startTurn(
		caller: Caller,
		chat: ChatForTurn,
		columns: ResolvedModel[][],
		input: SamplingInput & {
			content: string;
			parentId: string | null;
			attachmentIds?: readonly string[];
			fresh?: AttachmentWithData[];
			/** Ids the client picked (chats.send): the first answer's, and the user message's. */
			userMessageId?: string;
			assistantMessageId?: string;
			/** The chat is not saved yet (a send into a new chat): the turn inserts it. */
			newChat?: boolean;
		}
	) {
		const first = columns[0][0];
		const userMessageId = input.userMessageId ?? randomUUID();
		const firstTurn = !chat.titleLocked && chat.messages.length === 0;
		const { patch } = resolveSampling(chat, input);
		const attached = await this.attachedOnBranch(chat, input.parentId);
		attached.set(userMessageId, input.fresh ?? []);
		return this.startAnswers(caller, chat, columns, {
			userMessageId,
			attachmentIds: input.attachmentIds ?? [],
			attached,
			userMessage: {
				id: userMessageId,
				chatId: chat.id,
				role: 'user',
				content: input.content,
				status: 'complete',
				parentId: input.parentId
			},
			chatPatch: {
				// The chat keeps what was asked for: an alias stays an alias, so the next turn follows it.
				...storedTarget(first),
				...(firstTurn ? { title: titleFromMessage(input.content) } : {}),
				...patch
			},
			sampling: input,
			titleFrom: firstTurn ? input.content : undefined,
			firstAnswerId: input.assistantMessageId,
			newChat: input.newChat
		});
	}

	/**
	 * Holds one of the user's generation slots per answer, writes the turn (the new user message if
	 * any, the `streaming` answers, the chat's update with its new active leaf) in one transaction,
	 * then starts the answers detached. Each answer's first provider call is prepared during the write
	 * and leaves once it is done (generation/head-start.ts).
	 */
	private async startAnswers(
		caller: Caller,
		chat: ChatForTurn,
		asked: ResolvedModel[][],
		turn: {
			userMessageId: string;
			userMessage?: NewMessage & Pick<MessageRow, 'id' | 'role' | 'content' | 'status' | 'parentId'>;
			/** Uploads the new user message carries (linked in the turn's transaction). */
			attachmentIds: readonly string[];
			/** The attachments of the user messages the provider is sent, the new one's included. */
			attached: Map<string, PromptAttachment[]>;
			chatPatch: chatRepo.ChatPatch;
			sampling: SamplingInput;
			/** Set on a chat's first message: the first answer's end waits for a title written from it. */
			titleFrom?: string;
			firstAnswerId?: string;
			/** Insert `chat` (with the patch) rather than update it: a send into a new chat. */
			newChat?: boolean;
		}
	) {
		const { db, generations } = this.deps;
		const { userId } = caller;
		// Budget and caps are checked before anything is written; a refusal leaves no trace.
		const { columns, releases } = await generations.admit(caller, asked);
		const headStarts: HeadStart[] = [];
		try {
			const now = Date.now();
			// Explicit times keep a turn's order stable: its rows come from one statement.
			const answers: NewMessage[] = columns.map((candidates, i) => ({
				id: (i === 0 ? turn.firstAnswerId : undefined) ?? randomUUID(),
				chatId: chat.id,
				role: 'assistant',
				parentId: turn.userMessageId,
				status: 'streaming',
				providerId: candidates[0].providerId,
				modelId: candidates[0].model.modelId,
				createdAt: new Date(now + 1 + i)
			}));
			const userRow = turn.userMessage && { ...turn.userMessage, createdAt: new Date(now) };
			const rows = userRow ? [userRow, ...answers] : answers;
			const chatPatch: chatRepo.ChatPatch = {
				...turn.chatPatch,
				activeLeafId: answers[0].id!,
				// Several answers at once are a comparison: shown side by side until one is kept.
				...(answers.length > 1 ? { comparing: answers.map((a) => a.id!) } : {})
			};
			// A new chat is inserted already pointing at its answer (the leaf has no foreign key).
			const { messages: _none, ...chatRow } = chat;
			const chatWrite: chatRepo.TurnChat = turn.newChat
				? { insert: { ...chatRow, ...chatPatch, userId } }
				: { update: { userId, chatId: chat.id, patch: chatPatch } };
			// Uploads are linked in the same transaction; without any, the turn is a single statement.
			const saving = (
				turn.attachmentIds.length
					? db.transaction(async (tx) => {
							const inserted = await chatRepo.insertTurn(tx, chatWrite, rows);
							await this.deps.attachments.link(tx, userId, turn.userMessageId, turn.attachmentIds);
							return inserted;
						})
					: chatRepo.insertTurn(db, chatWrite, rows)
			).catch((error: unknown) => {
				// Only a client-chosen id can collide: the server's own are random v4.
				const violation = findUniqueViolation(error);
				if (error instanceof AppError || !violation) throw error;
				throw violation.table === 'chats'
					? new AppError('conflict', 'That chat id is already used. Pick a new one.', {
							field: 'chatId',
							cause: error
						})
					: new AppError('conflict', 'That message id is already used. Pick a new one.', { cause: error });
			});
			// The provider is sent the branch as it will be saved: the chat's messages and the new one.
			const history = buildHistory(
				userRow ? [...chat.messages, userRow] : chat.messages,
				turn.userMessageId,
				turn.attached
			);
			const { request } = resolveSampling(chat, turn.sampling);
			const specs: GenerationSpec[] = columns.map((candidates, i) => ({
				id: answers[i].id!,
				userId,
				chatId: chat.id,
				messageId: answers[i].id!,
				candidates,
				// A chat resends its history every turn: the cached prefix is what makes that cheap.
				request: {
					messages: history,
					system: chat.systemPrompt ?? undefined,
					...request,
					promptCaching: true
				},
				tokenId: caller.tokenId,
				beforeEnd: i === 0 ? this.titleStep(userId, chat.id, turn.titleFrom) : undefined
			}));
			// Each answer's first call is prepared while the turn is written and sent once it is saved; a
			// failed save fails it unsent. (`saving` is awaited below; the catch covers a throw before that.)
			saving.catch(() => {});
			for (const spec of specs) headStarts.push(generations.startAhead(spec, saving));
			await saving;
			specs.forEach((spec, i) => generations.start({ ...spec, headStart: headStarts[i] }, releases[i]));
			return {
				chatId: chat.id,
				userMessageId: turn.userMessageId,
				assistantMessageIds: answers.map((a) => a.id!)
			};
		} catch (error) {
			for (const headStart of headStarts) headStart.cancel();
			for (const release of releases) release();
			throw error;
		}
	}

	/** After a chat's first answer is saved: its title, from a model (see TitleService). */
	private titleStep(userId: string, chatId: string, question: string | undefined) {
		if (question === undefined) return undefined;
		return async (outcome: GenerationOutcome) => {
			if (outcome.status !== 'complete' || outcome.saveError || !outcome.text.trim()) return;
			await this.deps.titles.nameChat(userId, chatId, { question, answer: outcome.text });
		};
	}

	/** Stops an answer being written; what streamed is kept as `stopped`. */
	async stop(userId: string, messageId: string) {
		const message = await this.ownedMessage(userId, messageId);
		if (await this.deps.generations.stopAnywhere(message.id, userId)) return { stopped: true };
		if (message.status !== 'streaming') return { stopped: false };
		const settled = await this.settleUnowned(message.id, {
			status: 'stopped',
			finishReason: 'aborted',
			error: null
		});
		if (settled) return { stopped: true };
		// It ended meanwhile: maybe as its run, told by the stop on the bus, saved it as stopped.
		const now = await findOwnedMessage(this.deps.db, userId, messageId);
		return { stopped: now?.status === 'stopped' };
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

	/**
	 * The providers that answer a turn, in order: the target, then the fallbacks. With images in the
	 * message answered, the target must read them (refused before anything is written otherwise) and
	 * only fallbacks that read them are kept. An API token's allow-list narrows them (caller.grant).
	 */
	private chain(caller: Caller, target: Target, attached: readonly Pick<PromptAttachment, 'kind'>[] = []) {
		return this.deps.providers.candidates(target, {
			grant: caller.grant,
			vision: attached.some((a) => a.kind === 'image')
		});
	}

	/**
	 * The attachments (with their bytes) of the user messages on the branch down to `untilId`: what
	 * the provider is sent this turn. Other branches' files are not read.
	 */
	private attachedOnBranch(
		chat: ChatForTurn,
		untilId: string | null
	): Promise<Map<string, PromptAttachment[]>> {
		const branch = untilId ? pathTo(chat.messages, untilId) : [];
		const ids = branch.filter((m) => m.role === 'user' && m.attachments.length > 0).map((m) => m.id);
		return this.deps.attachments.forPrompt(ids);
	}

	private async defaultTarget(input: Target): Promise<Target> {
		if (input.providerId || input.modelId) {
			const { providerId, modelId } = storedTarget(await this.deps.providers.resolve(input));
			return { providerId: providerId ?? undefined, modelId };
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

/** The shape `chats.send`, `chats.edit` and `chats.regenerate` return: one answer. */
function single(started: { chatId: string; userMessageId: string; assistantMessageIds: string[] }) {
	return {
		chatId: started.chatId,
		userMessageId: started.userMessageId,
		assistantMessageId: started.assistantMessageIds[0]
	};
}

function notFound() {
	return new AppError('not_found', 'That chat does not exist.');
}
