import { randomUUID } from 'node:crypto';
import type { CompletionInput, CompletionStartInput } from '$lib/schemas/completions';
import type { UsageSource } from '$lib/schemas/usage';
import { AppError } from '../errors';
import { providerFailure } from '../provider-failure';
import { hasImages } from '../attachments/prompt-parts';
import type { Caller } from '../auth/caller';
import type { PendingStarts } from '../generation/pending-starts';
import type { ProviderManager } from './provider-manager';
import type { ChatMessage } from '../providers/types';
import type { AttachmentService } from './attachment-service';
import type { GenerationService } from './generation-service';

/** Stateless completions: the same generation machinery as chats, with usage recorded and no chat. */
export class CompletionService {
	constructor(
		private readonly deps: {
			providers: ProviderManager;
			generations: GenerationService;
			attachments: AttachmentService;
			starts: PendingStarts;
		}
	) {}

	/**
	 * Starts a completion. With a client-picked `generationId`, its stream may already be waiting
	 * for it: the watcher hears the start, or this start's error.
	 */
	async start(
		caller: Caller,
		input: CompletionStartInput,
		options: { source?: UsageSource } = {}
	): Promise<{ generationId: string }> {
		const { generationId: announced, ...completion } = input;
		if (!announced) return this.startGeneration(caller, completion, randomUUID(), options);
		return this.deps.starts.announcing(announced, caller.userId, async () => {
			if (await this.deps.generations.isKnown(announced)) {
				throw new AppError('conflict', 'That generation id is already used. Pick a new one.', {
					field: 'generationId'
				});
			}
			return this.startGeneration(caller, completion, announced, options);
		});
	}

	private async startGeneration(
		caller: Caller,
		input: CompletionInput,
		generationId: string,
		options: { source?: UsageSource }
	): Promise<{ generationId: string }> {
		// Images are checked from their bytes, then only a model that reads them is asked.
		const messages: ChatMessage[] = await Promise.all(
			input.messages.map(async ({ images, ...message }, i) =>
				images?.length
					? {
							...message,
							images: await this.deps.attachments.checkInlineImages(images, `messages.${i}.images`)
						}
					: message
			)
		);
		const candidates = await this.deps.providers.candidates(
			{ providerId: input.providerId, modelId: input.modelId },
			{ grant: caller.grant, vision: hasImages(messages) }
		);
		const {
			columns: [admitted],
			releases: [release]
		} = await this.deps.generations.admit(caller, [candidates]);
		this.deps.generations.start(
			{
				id: generationId,
				userId: caller.userId,
				chatId: null,
				messageId: null,
				candidates: admitted,
				request: {
					messages,
					system: input.system,
					temperature: input.temperature,
					maxTokens: input.maxTokens,
					topP: input.topP,
					stop: input.stop
				},
				source: options.source,
				tokenId: caller.tokenId
			},
			release
		);
		return { generationId };
	}

	async create(caller: Caller, input: CompletionInput) {
		const { generationId } = await this.start(caller, input);
		const outcome = await this.deps.generations.outcome(generationId);
		if (!outcome) throw new Error('A started completion has no outcome');
		if (outcome.error) throw providerFailure(outcome.error);
		// The answer exists but its usage row does not: reporting success would hide an unbilled call.
		if (outcome.saveError) throw outcome.saveError;
		return {
			text: outcome.text,
			providerId: outcome.providerId,
			modelId: outcome.modelId,
			finishReason: outcome.finishReason,
			usage: {
				inputTokens: outcome.usage.inputTokens,
				outputTokens: outcome.usage.outputTokens,
				cacheReadTokens: outcome.usage.cacheReadTokens,
				cacheWriteTokens: outcome.usage.cacheWriteTokens,
				costUsd: outcome.usage.costUsd,
				estimated: outcome.usage.estimated
			}
		};
	}
}
