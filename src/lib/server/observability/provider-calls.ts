import type { ProviderErrorCode } from '$lib/schemas/provider-error';
import type { NewUsage } from '../db/repositories/usage-repository';
import { log } from '../log';
import { metrics, type Metrics } from './metrics';

/** One provider call of a generation: its usage row (as written) and how often it was retried. */
export type ProviderCall = { usage: NewUsage; retries: number };

export type ProviderCallOutcome = 'ok' | 'fallback' | ProviderErrorCode;

/**
 * What a call came to: every call but the last of a generation failed over to the next provider;
 * the last one answered, was stopped, or failed with its code.
 */
export function providerCallOutcome(usage: NewUsage, isLast: boolean): ProviderCallOutcome {
	if (!isLast) return 'fallback';
	if (usage.status === 'ok') return 'ok';
	if (usage.status === 'stopped') return 'aborted';
	return (usage.errorCode as ProviderErrorCode | null | undefined) ?? 'unknown';
}

/**
 * The metrics and one log line per provider call of a finished generation, from the usage rows it
 * wrote: the same figures the usage page shows, so the two never disagree.
 */
export function observeProviderCalls(calls: ProviderCall[], registry: Metrics = metrics()): void {
	calls.forEach((call, index) => {
		const isLast = index === calls.length - 1;
		const { usage } = call;
		const provider = usage.providerId;
		const model = usage.modelId;
		const outcome = providerCallOutcome(usage, isLast);
		registry.providerCalls.inc({ provider, model, outcome });
		if (call.retries > 0) registry.providerRetries.inc({ provider }, call.retries);
		const input = usage.inputTokens ?? 0;
		const output = usage.outputTokens ?? 0;
		if (input > 0) registry.providerTokens.inc({ provider, model, type: 'input' }, input);
		if (output > 0) registry.providerTokens.inc({ provider, model, type: 'output' }, output);
		const cost = usage.costUsd === null || usage.costUsd === undefined ? 0 : Number(usage.costUsd);
		if (cost > 0) registry.providerCost.inc({ provider, model }, cost);
		if (!isLast) {
			const next = calls[index + 1].usage;
			registry.fallbacks.inc({ from: provider, to: next.providerId });
		} else {
			if (usage.ttftMs !== null && usage.ttftMs !== undefined)
				registry.ttft.observe({ provider }, usage.ttftMs / 1000);
			if (usage.latencyMs !== null && usage.latencyMs !== undefined) {
				registry.generationDuration.observe({ provider }, usage.latencyMs / 1000);
			}
		}
		log.info('provider call', {
			provider,
			model,
			outcome,
			ms: usage.latencyMs ?? null,
			ttftMs: usage.ttftMs ?? null,
			inputTokens: input,
			outputTokens: output,
			cacheReadTokens: usage.cacheReadTokens ?? 0,
			cacheWriteTokens: usage.cacheWriteTokens ?? 0,
			estimated: usage.estimated ?? false,
			retries: call.retries,
			fallback: index > 0 || !isLast
		});
	});
}
