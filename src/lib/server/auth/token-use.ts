import { describeError, log } from '../log';

/** How long a token's last use waits in memory before it is written (with every other token's). */
export const TOKEN_USE_FLUSH_MS = 60_000;

export type TokenUse = { tokenId: string; at: Date };

/**
 * A token's last use, written off the request's path: authentication notes it here (at most once a
 * minute per token, see shouldTouchToken) and one statement later writes every token used since, so
 * no request, least of all a turn before its first token, waits for or counts a last-use write.
 * What was noted is written when the account page lists tokens and at shutdown, and the timer
 * lets the process exit (unref), so a quiet server holds nothing back for long.
 */
export class TokenUseRecorder {
	private readonly pending = new Map<string, Date>();
	private timer: ReturnType<typeof setTimeout> | null = null;
	/** The writes begun so far, one after another: a flush waits for the timer's write too. */
	private writing: Promise<void> = Promise.resolve();

	constructor(
		private readonly write: (uses: TokenUse[]) => Promise<void>,
		private readonly delayMs = TOKEN_USE_FLUSH_MS
	) {}

	note(tokenId: string, at: Date): void {
		this.pending.set(tokenId, at);
		if (this.timer) return;
		this.timer = setTimeout(() => void this.flush(), this.delayMs);
		this.timer.unref?.();
	}

	/**
	 * Writes what was noted, and resolves once every write begun before has ended (at shutdown, the
	 * database closes after this). A failed write is logged and dropped: a last use is worth no retry loop.
	 */
	async flush(): Promise<void> {
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
		if (this.pending.size > 0) {
			const uses = [...this.pending].map(([tokenId, at]) => ({ tokenId, at }));
			this.pending.clear();
			this.writing = this.writing.then(() =>
				this.write(uses).catch((error: unknown) => {
					log.warn('could not record API tokens last use', {
						count: uses.length,
						error: describeError(error)
					});
				})
			);
		}
		await this.writing;
	}
}
