import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster/cluster';
import type { Db } from '../db/client';
import type { ProviderManager } from './provider-manager';
import type { BudgetService } from './budget-service';
import { GenerationService } from './generation-service';
import type { SettingsService } from './settings-service';

/** Only the slot and drain bookkeeping runs here: no database or provider is reached. */
function service() {
	return new GenerationService({
		db: {} as Db,
		providers: {} as ProviderManager,
		settings: {
			maxRetries: 0,
			timeoutMs: 1_000,
			maxConcurrentPerUser: 3,
			requestsPerMinute: 60,
			retainLogMs: 1_000,
			flushIntervalMs: 1_000,
			watcherAuthCheckMs: 1_000,
			awaitStartMs: 1_000
		},
		cluster: createCluster(
			{ REDIS_URL: undefined, REDIS_PREFIX: 'test:', LEASE_TTL_MS: 15_000 },
			{ retainLogMs: 1_000 }
		),
		budgets: {} as BudgetService,
		appSettings: {} as SettingsService
	});
}

describe('GenerationService drain', () => {
	it('refuses new answers once draining, as unavailable with a retry hint', async () => {
		const generations = service();
		generations.beginDrain();
		await expect(generations.reserve('u1')).rejects.toThrow(
			expect.objectContaining({ code: 'unavailable', retryAfterMs: 2_000 })
		);
	});

	it('waits for a send that reserved before the drain and has not started its run yet', async () => {
		const generations = service();
		const release = await generations.reserve('u1');
		generations.beginDrain();
		expect(await generations.waitForIdle(120)).toBe(false);
		const idle = generations.waitForIdle(5_000);
		release();
		expect(await idle).toBe(true);
	});
});
