/** The caps one user's generations are held to (passed per call: they may differ per user or role). */
export type UserCaps = { maxConcurrent: number; perMinute: number };

export type SlotResult =
	{ ok: true; release: () => void } | { ok: false; reason: 'concurrent' | 'rate'; retryAfterMs: number };

/**
 * Per-user caps so one member cannot starve the others: concurrent generations and requests per
 * minute. In memory for one process; Redis (cluster/redis-user-limits.ts) when several share them.
 */
export interface UserLimiter {
	/** Takes a slot or says why not; the caller releases the slot when its generation ends. */
	acquire(userId: string, caps: UserCaps): Promise<SlotResult>;
}

/** A refused concurrent slot is worth retrying about when an answer usually ends. */
export const CONCURRENT_RETRY_MS = 1_000;

export class UserLimits implements UserLimiter {
	private readonly running = new Map<string, number>();
	private readonly recent = new Map<string, number[]>();

	constructor(private readonly options: { now?: () => number } = {}) {}

	private now() {
		return this.options.now?.() ?? Date.now();
	}

	async acquire(userId: string, caps: UserCaps): Promise<SlotResult> {
		return this.acquireNow(userId, caps);
	}

	/** The same, synchronously: one process decides in one step, so no other caller interleaves. */
	acquireNow(userId: string, caps: UserCaps): SlotResult {
		const now = this.now();
		const windowStart = now - 60_000;
		const times = (this.recent.get(userId) ?? []).filter((t) => t > windowStart);
		if ((this.running.get(userId) ?? 0) >= caps.maxConcurrent) {
			return { ok: false, reason: 'concurrent', retryAfterMs: CONCURRENT_RETRY_MS };
		}
		if (times.length >= caps.perMinute) {
			return { ok: false, reason: 'rate', retryAfterMs: Math.max(1, times[0] - windowStart) };
		}
		times.push(now);
		this.recent.set(userId, times);
		this.running.set(userId, (this.running.get(userId) ?? 0) + 1);
		let released = false;
		return {
			ok: true,
			release: () => {
				if (released) return;
				released = true;
				const left = (this.running.get(userId) ?? 1) - 1;
				if (left > 0) this.running.set(userId, left);
				else this.running.delete(userId);
			}
		};
	}

	runningFor(userId: string): number {
		return this.running.get(userId) ?? 0;
	}
}
