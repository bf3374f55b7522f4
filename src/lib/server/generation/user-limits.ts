/**
 * Per-user caps so one member cannot starve the others: concurrent generations and requests per
 * minute. In memory, per instance: a cap that is per instance still bounds each process's load.
 */
export class UserLimits {
	private readonly running = new Map<string, number>();
	private readonly recent = new Map<string, number[]>();

	constructor(private readonly options: { maxConcurrent: number; perMinute: number; now?: () => number }) {}

	private now() {
		return this.options.now?.() ?? Date.now();
	}

	/**
	 * Takes a slot or says why not. The caller releases the slot when its generation ends.
	 * Returns the milliseconds to wait when refused.
	 */
	acquire(userId: string): { ok: true } | { ok: false; reason: 'concurrent' | 'rate'; retryAfterMs: number } {
		const now = this.now();
		const windowStart = now - 60_000;
		const times = (this.recent.get(userId) ?? []).filter((t) => t > windowStart);
		if ((this.running.get(userId) ?? 0) >= this.options.maxConcurrent) {
			return { ok: false, reason: 'concurrent', retryAfterMs: 1_000 };
		}
		if (times.length >= this.options.perMinute) {
			return { ok: false, reason: 'rate', retryAfterMs: Math.max(1, times[0] - windowStart) };
		}
		times.push(now);
		this.recent.set(userId, times);
		this.running.set(userId, (this.running.get(userId) ?? 0) + 1);
		return { ok: true };
	}

	release(userId: string): void {
		const left = (this.running.get(userId) ?? 1) - 1;
		if (left > 0) this.running.set(userId, left);
		else this.running.delete(userId);
	}

	runningFor(userId: string): number {
		return this.running.get(userId) ?? 0;
	}
}
