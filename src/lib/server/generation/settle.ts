import type { StreamEvent } from '$lib/schemas/stream-events';
import type { NewUsage } from '../db/repositories/usage-repository';
import { estimateUsage } from '../providers/estimate-tokens';
import type { ResolvedModel } from '../services/provider-manager';
import type { ProviderError } from '../providers/types';
import type { AttemptResult } from './attempt';
import { computeCost, type Prices } from './cost';
import { unsavedAnswer } from './persist';
import type { GenerationOutcome, GenerationSpec } from './spec';

/** The attempt a run ends on: every other result hands over to the next candidate. */
export type LastAttempt = Exclude<AttemptResult, { type: 'fallback' }>;

/** What streamed, timed from the start of the run. */
export type Streamed = { text: string; ttftMs: number | null; latencyMs: number };

/** The parts of a candidate that settling reads: who answered and the model's prices. */
type Answered = {
	providerId: string;
	model: Pick<ResolvedModel['model'], 'modelId' | keyof Prices>;
};
type SpecRef = Pick<GenerationSpec, 'userId' | 'chatId' | 'messageId' | 'request' | 'source' | 'tokenId'>;

type UsageFigures = Omit<
	NewUsage,
	'userId' | 'chatId' | 'messageId' | 'providerId' | 'modelId' | 'costUsd' | 'apiTokenId'
> & {
	costUsd: number | null;
};

function usageRow(spec: SpecRef, target: Answered, figures: UsageFigures): NewUsage {
	return {
		...figures,
		costUsd: figures.costUsd === null ? null : String(figures.costUsd),
		userId: spec.userId,
		chatId: spec.chatId,
		messageId: spec.messageId,
		providerId: target.providerId,
		modelId: target.model.modelId,
		source: spec.source ?? 'app',
		apiTokenId: spec.tokenId ?? null
	};
}

/** The usage row of an attempt that failed before any text and handed over to the next candidate. */
export function fallbackUsage(
	spec: SpecRef,
	target: Answered,
	error: ProviderError,
	latencyMs: number
): NewUsage {
	const none = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
	return usageRow(spec, target, {
		...none,
		estimated: false,
		costUsd: computeCost(target.model, none),
		latencyMs,
		ttftMs: null,
		status: 'error',
		errorCode: error.code
	});
}

function ending(result: LastAttempt): Pick<GenerationOutcome, 'status' | 'finishReason' | 'error'> {
	switch (result.type) {
		case 'finished':
			return { status: 'complete', finishReason: result.finish.finishReason, error: null };
		case 'stopped':
			return { status: 'stopped', finishReason: 'aborted', error: null };
		case 'failed':
			return { status: 'error', finishReason: 'error', error: result.error };
	}
}

/**
 * The run's outcome and its last attempt's usage row. Usage is the provider's when it reported
 * some, else estimated from the text (a stop, a failure mid-stream).
 */
export function settle(
	spec: SpecRef,
	answered: Answered,
	result: LastAttempt,
	streamed: Streamed
): { outcome: GenerationOutcome; usage: NewUsage } {
	const finish = result.type === 'stopped' ? null : result.finish;
	const usage = finish?.usage ?? estimateUsage(spec.request, streamed.text);
	const costUsd = computeCost(answered.model, usage);
	const end = ending(result);
	const outcome: GenerationOutcome = {
		text: streamed.text,
		providerId: answered.providerId,
		modelId: answered.model.modelId,
		...end,
		usage: { ...usage, costUsd },
		saveError: null
	};
	const row = usageRow(spec, answered, {
		...usage,
		costUsd,
		latencyMs: streamed.latencyMs,
		ttftMs: streamed.ttftMs,
		status: end.status === 'complete' ? 'ok' : end.status,
		errorCode: end.error?.code ?? (end.status === 'stopped' ? 'aborted' : null)
	});
	return { outcome, usage: row };
}

/** The event that ends a generation's stream. */
export function terminalEvent(outcome: GenerationOutcome): StreamEvent {
	if (outcome.saveError) {
		return {
			type: 'error',
			error: {
				...unsavedAnswer,
				retryable: true,
				providerId: outcome.providerId,
				retryAfterMs: null
			}
		};
	}
	if (outcome.status === 'error' && outcome.error) {
		return {
			type: 'error',
			error: {
				code: outcome.error.code,
				message: outcome.error.message,
				retryable: outcome.error.retryable,
				providerId: outcome.error.providerId,
				retryAfterMs: outcome.error.retryAfterMs ?? null
			}
		};
	}
	return { type: 'done', finishReason: outcome.finishReason, usage: outcome.usage };
}
