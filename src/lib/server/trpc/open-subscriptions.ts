import type { AuthInvalidation } from '../auth/auth-cache';
import type { Authenticated } from '../auth/authenticate';

/**
 * Counts the stream subscriptions this process is serving: for the open-subscriptions gauge, and so
 * a shutdown can wait until every watcher has been sent its last event before the process exits.
 * Also knows whose they are, so a change to a session, a token or a user (announced by any process)
 * re-checks the subscriptions it concerns at once.
 */
export class OpenSubscriptions {
	private open = 0;
	private waiters: (() => void)[] = [];
	private readonly rechecks = new Map<string, Set<() => void>>();

	/**
	 * Registers a subscription's re-check under its credential: its user, and its session or token.
	 * Returns the function that removes it.
	 */
	watch(auth: Pick<Authenticated, 'user' | 'sessionId' | 'tokenId'>, recheck: () => void): () => void {
		const keys = [`user:${auth.user.id}`];
		if (auth.sessionId) keys.push(`session:${auth.sessionId}`);
		if (auth.tokenId) keys.push(`token:${auth.tokenId}`);
		for (const key of keys) {
			let set = this.rechecks.get(key);
			if (!set) this.rechecks.set(key, (set = new Set()));
			set.add(recheck);
		}
		return () => {
			for (const key of keys) {
				const set = this.rechecks.get(key);
				set?.delete(recheck);
				if (set?.size === 0) this.rechecks.delete(key);
			}
		};
	}

	/** A session, token or user changed: the subscriptions it concerns check again now. */
	recheck(change: AuthInvalidation): void {
		const key =
			change.kind === 'user'
				? `user:${change.userId}`
				: change.kind === 'session'
					? `session:${change.sessionId}`
					: `token:${change.tokenId}`;
		for (const recheck of this.rechecks.get(key) ?? []) recheck();
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
