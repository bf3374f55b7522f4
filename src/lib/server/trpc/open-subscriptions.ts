/**
 * Counts the stream subscriptions this process is serving: for the open-subscriptions gauge, and so
 * a shutdown can wait until every watcher has been sent its last event before the process exits.
 * Also knows whose they are, so a change to a user's sessions, tokens or role (announced by any
 * process) re-checks that user's subscriptions at once.
 */
export class OpenSubscriptions {
	private open = 0;
	private waiters: (() => void)[] = [];
	private readonly rechecks = new Map<string, Set<() => void>>();

	/** Registers a subscription's re-check for `userId`; returns the function that removes it. */
	watchUser(userId: string, recheck: () => void): () => void {
		let set = this.rechecks.get(userId);
		if (!set) this.rechecks.set(userId, (set = new Set()));
		set.add(recheck);
		return () => {
			set.delete(recheck);
			if (set.size === 0) this.rechecks.delete(userId);
		};
	}

	/** The user's sessions, tokens or role changed: each of their subscriptions checks again now. */
	recheckUser(userId: string): void {
		for (const recheck of this.rechecks.get(userId) ?? []) recheck();
	}

	get count(): number {
		return this.open;
	}

	opened(): void {
		this.open++;
	}

	closed(): void {
		this.open = Math.max(0, this.open - 1);
		if (this.open === 0) for (const wake of this.waiters.splice(0)) wake();
	}

	/** Resolves true once none is open, or false when `timeoutMs` passes first. */
	waitForNone(timeoutMs: number): Promise<boolean> {
		if (this.open === 0) return Promise.resolve(true);
		return new Promise((resolve) => {
			const timer = setTimeout(() => {
				this.waiters = this.waiters.filter((w) => w !== wake);
				resolve(false);
			}, timeoutMs);
			const wake = () => {
				clearTimeout(timer);
				resolve(true);
			};
			this.waiters.push(wake);
		});
	}
}
