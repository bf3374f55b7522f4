import { AppError } from '../errors';

/*
 * Failed sign-ins, counted per account and per client address in a sliding window.
 *
 * Kept in memory on purpose: the counts are short-lived (one window), losing them on a restart
 * only forgives a few attempts, and a database row per failed attempt would let an attacker turn
 * guessing into write load. With several instances each keeps its own count, so the effective
 * limit is at most limit × instances, still bounded. Entries expire with the window, so there is
 * never a permanent lockout, and the number of keys is capped so memory stays bounded too.
 */

export type ThrottleRule = { limit: number; windowMs: number };

export type ThrottleRules = { account: ThrottleRule; address: ThrottleRule };

export const defaultThrottleRules: ThrottleRules = {
	// Five wrong passwords for one account in 15 minutes is not a typo any more.
	account: { limit: 5, windowMs: 15 * 60_000 },
	// An address may be shared (an office, a NAT), so it gets more room than one account.
	address: { limit: 20, windowMs: 15 * 60_000 }
};

const MAX_KEYS = 10_000;

/** Sliding-window log of failure times per key. Pure apart from its own map; time is passed in. */
export class SlidingWindow {
	private readonly failures = new Map<string, number[]>();

	constructor(private readonly rule: ThrottleRule) {}

	private recent(key: string, now: number): number[] {
		const times = this.failures.get(key);
		if (!times) return [];
		const kept = times.filter((t) => t > now - this.rule.windowMs);
		if (kept.length === 0) this.failures.delete(key);
		else if (kept.length !== times.length) this.failures.set(key, kept);
		return kept;
	}

	/** Milliseconds until the key may try again; 0 when it may now. */
	retryAfter(key: string, now: number): number {
		const times = this.recent(key, now);
		if (times.length < this.rule.limit) return 0;
		// Allowed again when enough failures have left the window to be under the limit.
		const gate = times[times.length - this.rule.limit];
		return Math.max(1, gate + this.rule.windowMs - now);
	}

	fail(key: string, now: number): void {
		const times = this.recent(key, now);
		times.push(now);
		// Only the last `limit` failures can ever matter.
		this.failures.delete(key);
		this.failures.set(key, times.slice(-this.rule.limit));
		if (this.failures.size > MAX_KEYS) this.evict(now);
	}

	/** Takes back one failure recorded at `at` (an attempt counted up front that turned out fine). */
	forgive(key: string, at: number): void {
		const times = this.failures.get(key);
		const index = times?.lastIndexOf(at) ?? -1;
		if (!times || index < 0) return;
		times.splice(index, 1);
		if (times.length === 0) this.failures.delete(key);
	}

	reset(key: string): void {
		this.failures.delete(key);
	}

	get size(): number {
		return this.failures.size;
	}

	private evict(now: number): void {
		for (const key of [...this.failures.keys()]) this.recent(key, now);
		// Still too many: forget the keys touched longest ago (Map keeps insertion order).
		for (const key of this.failures.keys()) {
			if (this.failures.size <= MAX_KEYS) break;
			this.failures.delete(key);
		}
	}
}

export function formatWait(ms: number): string {
	const seconds = Math.ceil(ms / 1000);
	if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
	const minutes = Math.ceil(seconds / 60);
	return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

export type SignInKeys = { email: string; address: string };

export class LoginThrottle {
	private readonly accounts: SlidingWindow;
	private readonly addresses: SlidingWindow;

	constructor(rules: ThrottleRules = defaultThrottleRules) {
		this.accounts = new SlidingWindow(rules.account);
		this.addresses = new SlidingWindow(rules.address);
	}

	/**
	 * Checks both keys and counts this attempt as a failure up front: attempts running in parallel
	 * then see each other at once, instead of all passing the check before any failure is recorded.
	 * Throws TOO_MANY_REQUESTS, with the wait, before any password work is done.
	 */
	begin(keys: SignInKeys, now: number): void {
		const wait = Math.max(
			this.accounts.retryAfter(keys.email, now),
			this.addresses.retryAfter(keys.address, now)
		);
		if (wait > 0) {
			throw new AppError(
				'too_many_requests',
				`Too many failed sign-in attempts. Try again in ${formatWait(wait)}.`,
				{ retryAfterMs: wait }
			);
		}
		this.accounts.fail(keys.email, now);
		this.addresses.fail(keys.address, now);
	}

	/**
	 * The attempt begun at `startedAt` was right: the account's count is cleared and the address
	 * gets this attempt back. The address's earlier failures stay: clearing them would let someone
	 * with one valid account reset their budget between guesses at other accounts.
	 */
	succeeded(keys: SignInKeys, startedAt: number): void {
		this.accounts.reset(keys.email);
		this.addresses.forgive(keys.address, startedAt);
	}
}
