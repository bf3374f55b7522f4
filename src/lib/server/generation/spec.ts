import type { UsageSource } from '$lib/schemas/usage';
import type { AppError } from '../errors';
import type { ResolvedModel } from '../services/provider-manager';
import type { ChatRequest, FinishReason, ProviderError, Usage } from '../providers/types';
import type { HeadStart } from './head-start';

/** What to generate, for whom, and where the answer is kept. */
export type GenerationSpec = {
	/** The assistant message id for chats, a fresh id for stateless completions. */
	id: string;
	userId: string;
	chatId: string | null;
	/** Set when the answer is persisted as a message. */
	messageId: string | null;
	candidates: ResolvedModel[];
	request: Omit<ChatRequest, 'model'>;
	/** The door the request came through, kept on its usage rows ('app' when unset). */
	source?: UsageSource;
	/** The API token the call came through, kept on its usage rows so the token's budget can count them. */
	tokenId?: string | null;
	/**
	 * Work that must be visible when the stream ends, run once the answer is saved and before its
	 * terminal event (a first answer's title); its failure is logged and never fails the answer.
	 */
	beforeEnd?: (outcome: GenerationOutcome) => Promise<void>;
	/** The first candidate's call, begun while the turn was being saved (head-start.ts). */
	headStart?: HeadStart;
};

export type GenerationOutcome = {
	text: string;
	providerId: string;
	modelId: string;
	status: 'complete' | 'stopped' | 'error';
	finishReason: FinishReason;
	usage: Usage & { costUsd: number | null };
	error: ProviderError | null;
	/** Set when the answer could not be saved whole: the stream ends with an error, never `done`. */
	saveError: AppError | null;
};
