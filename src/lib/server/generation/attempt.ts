import type { ProviderManager, ResolvedModel } from '../services/provider-manager';
import { toProviderError } from '../providers/provider-errors';
import { streamWithRetries } from '../providers/resilient-stream';
import type { HeadStart } from './head-start';
import { ProviderError, type ChatRequest, type FinishReason, type Usage } from '../providers/types';

export type Finish = { finishReason: FinishReason; usage: Usage };

/**
 * How one provider call ended. `fallback` is only returned when another candidate is there to take
 * over; `failed` keeps a `finish` the provider sent before failing, since its usage is still real.
 */
export type AttemptResult =
	| { type: 'finished'; finish: Finish }
	| { type: 'stopped' }
	| { type: 'fallback'; error: ProviderError; to: ResolvedModel }
	| { type: 'failed'; error: ProviderError; finish: Finish | null };

export type AttemptContext = {
	providers: Pick<ProviderManager, 'prepareRequest' | 'reportSuccess' | 'reportFailure'>;
	retry: { maxRetries: number; timeoutMs: number };
	request: Omit<ChatRequest, 'model'>;
	signal: AbortSignal;
	/** Each non-empty piece of text, as it arrives. */
	onText(text: string): void;
	/** Each provider-level retry of this attempt (for the metrics and the call's log line). */
	onRetry?(): void;
	/** A call to the first candidate begun while the turn was being saved (head-start.ts). */
	headStart?: HeadStart;
};

/**
 * Streams one candidate (with the provider-level retries) and says how it ended. Before any text,
 * a retryable failure hands over to `next`; after text the partial answer stands.
 */
export async function runAttempt(
	ctx: AttemptContext,
	target: ResolvedModel,
	next: ResolvedModel | undefined
): Promise<AttemptResult> {
	const { providers, signal } = ctx;
	const ahead = ctx.headStart?.take(target) ?? null;
	const request =
		ahead?.request ?? providers.prepareRequest(target, { ...ctx.request, model: target.model.modelId });
	let finish: Finish | null = null;
	let sawText = false;
	const failed = (error: ProviderError): AttemptResult => {
		if (error.code !== 'aborted') providers.reportFailure(target.providerId, error);
		if (!sawText && error.retryable && !signal.aborted && next) return { type: 'fallback', error, to: next };
		// A stop that lands after the provider finished still counts as a finished answer.
		if (signal.aborted) return finish ? { type: 'finished', finish } : { type: 'stopped' };
		return { type: 'failed', error, finish };
	};
	try {
		for await (const part of streamWithRetries(target.provider, request, {
			signal,
			maxRetries: ctx.retry.maxRetries,
			firstTokenTimeoutMs: ctx.retry.timeoutMs,
			idleTimeoutMs: ctx.retry.timeoutMs,
			onRetry: ctx.onRetry,
			started: ahead?.call
		})) {
			if (part.type === 'finish') {
				finish = { finishReason: part.finishReason, usage: part.usage };
			} else if (part.text) {
				sawText = true;
				ctx.onText(part.text);
			}
		}
	} catch (caught) {
		return failed(toProviderError(caught, { providerId: target.providerId, signal }));
	}
	if (finish) {
		providers.reportSuccess(target.providerId);
		return { type: 'finished', finish };
	}
	if (signal.aborted) return { type: 'stopped' };
	return failed(
		new ProviderError({
			code: 'unknown',
			message: 'The provider ended the answer without finishing it.',
			providerId: target.providerId
		})
	);
}
