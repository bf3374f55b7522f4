import { describe, expect, it } from 'vitest';
import type { NewUsage } from '../db/repositories/usage-repository';
import { createMetrics } from './metrics';
import { observeProviderCalls, providerCallOutcome } from './provider-calls';

function usage(overrides: Partial<NewUsage>): NewUsage {
	return {
		userId: 'u',
		providerId: 'anthropic',
		modelId: 'claude-sonnet-5-5',
		inputTokens: 0,
		outputTokens: 0,
		estimated: false,
		costUsd: null,
		latencyMs: 40,
		ttftMs: null,
		status: 'ok',
		errorCode: null,
		...overrides
	};
}

/** One sample's value; histogram parts (`_count`, `_sum`) are found by their own metric name. */
async function value(
	registry: ReturnType<typeof createMetrics>,
	name: string,
	labels: Record<string, string>
) {
	const samples = (await registry.registry.getMetricsAsJSON()).flatMap((metric) =>
		metric.values.map((v) => ({ ...v, name: (v as { metricName?: string }).metricName ?? metric.name }))
	);
	const sample = samples.find(
		(v) =>
			v.name === name &&
			Object.entries(labels).every(([k, l]) => (v.labels as Record<string, unknown>)[k] === l)
	);
	return sample?.value ?? 0;
}

describe('providerCallOutcome', () => {
	it('names every call before the last a fallback, and the last by its status or code', () => {
		expect(providerCallOutcome(usage({ status: 'error', errorCode: 'overloaded' }), false)).toBe('fallback');
		expect(providerCallOutcome(usage({ status: 'ok' }), true)).toBe('ok');
		expect(providerCallOutcome(usage({ status: 'stopped', errorCode: 'aborted' }), true)).toBe('aborted');
		expect(providerCallOutcome(usage({ status: 'error', errorCode: 'rate_limited' }), true)).toBe(
			'rate_limited'
		);
	});
});

describe('observeProviderCalls', () => {
	it('counts calls, fallbacks, retries, tokens and cost, and times the call that answered', async () => {
		const registry = createMetrics();
		observeProviderCalls(
			[
				{ usage: usage({ status: 'error', errorCode: 'overloaded', latencyMs: 30 }), retries: 2 },
				{
					usage: usage({
						providerId: 'openai',
						modelId: 'gpt-4o-mini',
						inputTokens: 12,
						outputTokens: 30,
						costUsd: '0.00002',
						ttftMs: 250,
						latencyMs: 1_500
					}),
					retries: 0
				}
			],
			registry
		);
		const calls = 'switchboard_provider_calls_total';
		expect(await value(registry, calls, { provider: 'anthropic', outcome: 'fallback' })).toBe(1);
		expect(await value(registry, calls, { provider: 'openai', outcome: 'ok' })).toBe(1);
		expect(await value(registry, 'switchboard_fallbacks_total', { from: 'anthropic', to: 'openai' })).toBe(1);
		expect(await value(registry, 'switchboard_provider_retries_total', { provider: 'anthropic' })).toBe(2);
		expect(
			await value(registry, 'switchboard_provider_tokens_total', { provider: 'openai', type: 'output' })
		).toBe(30);
		expect(await value(registry, 'switchboard_provider_cost_usd_total', { provider: 'openai' })).toBeCloseTo(
			0.00002
		);
		expect(await value(registry, 'switchboard_ttft_seconds_count', { provider: 'openai' })).toBe(1);
		expect(await value(registry, 'switchboard_ttft_seconds_sum', { provider: 'openai' })).toBeCloseTo(0.25);
		expect(await value(registry, 'switchboard_ttft_seconds_count', { provider: 'anthropic' })).toBe(0);
	});
});
