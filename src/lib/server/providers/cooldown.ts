import type { ProviderError, ProviderErrorCode } from './types';

export type CooldownOptions = {
	/** Failures within `windowMs` that start a cooldown. */
	threshold?: number;
	windowMs?: number;
	cooldownMs?: number;
	now?: () => number;
	/** Told each time a provider starts a cooldown (the cooldown metric). */
	onCooldown?(providerId: string): void;
};

// Failures that say the provider is unhealthy. A bad request, an unknown model, a too-long prompt
// or the user's own stop say nothing about it.
const healthCodes = new Set<ProviderErrorCode>([
	'auth',
	'rate_limited',
	'overloaded',
	'unavailable',
	'timeout'
]);

/**
 * Per-process memory of failing providers: after `threshold` failures in `windowMs` a provider cools
 * down for `cooldownMs` (longer if it asked us to wait), and is skipped as a fallback candidate.
 */
export class CooldownTracker {
	private readonly failures = new Map<string, number[]>();
	private readonly until = new Map<string, number>();
	private readonly threshold: number;
	private readonly windowMs: number;
	private readonly cooldownMs: number;
	private readonly now: () => number;
	private readonly onCooldown?: (providerId: string) => void;

	constructor(options: CooldownOptions = {}) {
		this.onCooldown = options.onCooldown;
		this.threshold = options.threshold ?? 3;
		this.windowMs = options.windowMs ?? 60_000;
		this.cooldownMs = options.cooldownMs ?? 30_000;
		this.now = options.now ?? Date.now;
	}

	reportFailure(providerId: string, error: Pick<ProviderError, 'code' | 'retryAfterMs'>): void {
		if (!healthCodes.has(error.code)) return;
		const now = this.now();
		const recent = (this.failures.get(providerId) ?? []).filter((t) => now - t < this.windowMs);
		recent.push(now);
		this.failures.set(providerId, recent);
		if (recent.length >= this.threshold) {
			this.until.set(providerId, now + Math.max(this.cooldownMs, error.retryAfterMs ?? 0));
			this.failures.set(providerId, []);
			this.onCooldown?.(providerId);
		}
	}

	reportSuccess(providerId: string): void {
		this.failures.delete(providerId);
		this.until.delete(providerId);
	}

	remainingMs(providerId: string): number {
		return Math.max(0, (this.until.get(providerId) ?? 0) - this.now());
	}

	isCoolingDown(providerId: string): boolean {
		return this.remainingMs(providerId) > 0;
	}
}
