/*
 * Where throttles keep the times of recent attempts, per key ("account:ada@example.com",
 * "address:203.0.113.7", "signup:203.0.113.7"…). The throttles decide; this only remembers.
 *
 * Every method is one atomic step on one key, so a Redis sorted set per key (ZADD, ZREMRANGEBYSCORE
 * and ZRANGE in one MULTI) can stand in for the in-process map when several app processes share
 * the counts. Kept in memory by default on purpose: the counts are short-lived, losing them on a
 * restart only forgives a few attempts, and a database row per failed attempt would let an
 * attacker turn guessing into write load.
 */
export interface AttemptLog {
	/** Records an attempt at `at`; returns the key's attempts within `windowMs`, oldest first, this one last. */
	record(key: string, at: number, windowMs: number): Promise<number[]>;
	/** Takes back the attempt recorded at `at` (one that turned out fine, or was refused). */
	forgive(key: string, at: number): Promise<void>;
	/** Forgets every attempt of the key. */
	clear(key: string): Promise<void>;
}

const MAX_KEYS = 10_000;

export class MemoryAttemptLog implements AttemptLog {
	private readonly attempts = new Map<string, number[]>();

	/** At most `maxKeys` keys are kept, so memory stays bounded whatever an attacker sends. */
	constructor(private readonly maxKeys = MAX_KEYS) {}

	async record(key: string, at: number, windowMs: number): Promise<number[]> {
		const kept = (this.attempts.get(key) ?? []).filter((t) => t > at - windowMs);
		kept.push(at);
		// Re-inserted so that Map order is least recently touched first (see evict).
		this.attempts.delete(key);
		this.attempts.set(key, kept);
		if (this.attempts.size > this.maxKeys) this.evict();
		return [...kept];
	}

	async forgive(key: string, at: number): Promise<void> {
		const times = this.attempts.get(key);
		const index = times?.lastIndexOf(at) ?? -1;
		if (!times || index < 0) return;
		times.splice(index, 1);
		if (times.length === 0) this.attempts.delete(key);
	}

	async clear(key: string): Promise<void> {
		this.attempts.delete(key);
	}

	get size(): number {
		return this.attempts.size;
	}

	private evict(): void {
		for (const key of this.attempts.keys()) {
			if (this.attempts.size <= this.maxKeys) break;
			this.attempts.delete(key);
		}
	}
}
