import type { ProviderError, ProviderErrorCode } from './types';

export type CooldownOptions = {
	/** Failures within `windowMs` that start a cooldown. */
	threshold?: number;
	windowMs?: number;
	cooldownMs?: number;
	now?: () => number;
	/** Told each time a provider starts a cooldown (the cooldown metric). */
	onCooldown?(providerId: string): void;
	/** Counts failures across processes instead of here (several processes share one provider). */
	shared?: SharedCooldowns;
};

export type CooldownRule = { threshold: number; windowMs: number; cooldownMs: number };

/**
 * Failure counts kept where every process sees them. A cooldown that starts reaches every process's
 * tracker through `applyCooldown`, this one's included.
 */
export interface SharedCooldowns {
	/** Counts one failure; the cooldown's length when it started one, else null. */
	recordFailure(providerId: string, rule: CooldownRule): Promise<number | null>;
	/** Forgets the failures and ends the cooldown, on every process. */
	clear(providerId: string): Promise<void>;
}

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
 * Memory of failing providers: after `threshold` failures in `windowMs` a provider cools down for
 * `cooldownMs` (longer if it asked us to wait), and is skipped as a fallback candidate. Counted
 * here, or in `shared` when several processes must agree; the answer is always read from here.
 */
export class CooldownTracker {
	private readonly failures = new Map<string, number[]>();
	private readonly until = new Map<string, number>();
	private readonly threshold: number;
	private readonly windowMs: number;
	private readonly cooldownMs: number;
	private readonly now: () => number;
	private readonly onCooldown?: (providerId: string) => void;
	private readonly shared?: SharedCooldowns;
	/** Providers with failures counted in `shared` since their last success (so a success clears them). */
	private readonly sharedFailures = new Set<string>();

	constructor(options: CooldownOptions = {}) {
		this.onCooldown = options.onCooldown;
		this.shared = options.shared;
		this.threshold = options.threshold ?? 3;
		this.windowMs = options.windowMs ?? 60_000;
		this.cooldownMs = options.cooldownMs ?? 30_000;
		this.now = options.now ?? Date.now;
	}

	reportFailure(providerId: string, error: Pick<ProviderError, 'code' | 'retryAfterMs'>): void {
		if (!healthCodes.has(error.code)) return;
		if (this.shared) return this.reportShared(providerId, error);
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

	private reportShared(providerId: string, error: Pick<ProviderError, 'retryAfterMs'>): void {
		const shared = this.shared!;
		this.sharedFailures.add(providerId);
		const rule = {
			threshold: this.threshold,
			windowMs: this.windowMs,
			cooldownMs: Math.max(this.cooldownMs, error.retryAfterMs ?? 0)
		};
		void shared.recordFailure(providerId, rule).then(
			(started) => {
				if (started !== null) this.onCooldown?.(providerId);
			},
			// Unreachable shared state must not fail an answer: the provider is just not cooled down.
			() => undefined
		);
	}

	reportSuccess(providerId: string): void {
		this.failures.delete(providerId);
		const wasCooling = this.until.delete(providerId);
		// Only a provider with failures on record costs a round trip: success is the common case.
		if (this.shared && (wasCooling || this.sharedFailures.delete(providerId))) {
			void this.shared.clear(providerId).catch(() => undefined);
		}
	}

	/** A cooldown started (ms > 0) or ended (0) by any process sharing the counts. */
	applyCooldown(providerId: string, ms: number): void {
		if (ms > 0) this.until.set(providerId, this.now() + ms);
		else this.until.delete(providerId);
	}

	remainingMs(providerId: string): number {
		return Math.max(0, (this.until.get(providerId) ?? 0) - this.now());
	}

	isCoolingDown(providerId: string): boolean {
		return this.remainingMs(providerId) > 0;
	}
}
