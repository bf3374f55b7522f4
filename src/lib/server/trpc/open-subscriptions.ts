/**
 * Counts the stream subscriptions this process is serving: for the open-subscriptions gauge, and so
 * a shutdown can wait until every watcher has been sent its last event before the process exits.
 */
export class OpenSubscriptions {
	private open = 0;
	private waiters: (() => void)[] = [];

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
