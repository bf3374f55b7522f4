/**
 * The first-token and idle timeouts of one streamed attempt, on one timer for the whole stream.
 * The clock runs while the attempt waits for a part and stops while the consumer holds one (a slow
 * consumer is not a stalled provider). A part's arrival and the consumer's return only note the
 * time: re-arming a timer on each of them cost every delta a Timeout and two updates of Node's
 * timer lists. When the timer fires early (the wait began after it was set) it sets itself for what
 * is left; when it fires while a part is held, the next wait sets it again.
 */
export class StallWatch {
	#limitMs: number;
	#what: string;
	/** When the current wait began (performance.now()); null while the consumer holds a part. */
	#since: number | null;
	#timer: ReturnType<typeof setTimeout> | undefined;
	#stopped = false;
	readonly #onStall: (limitMs: number, what: string) => void;

	/** Starts the clock: the first part is due within `limitMs`; `what` names the stall for onStall. */
	constructor(limitMs: number, what: string, onStall: (limitMs: number, what: string) => void) {
		this.#limitMs = limitMs;
		this.#what = what;
		this.#onStall = onStall;
		this.#since = performance.now();
		this.#arm(limitMs);
	}

	/** A part arrived: the clock stops while the consumer holds it. */
	hold(): void {
		this.#since = null;
	}

	/** The consumer is back: the next part is due within `limitMs`. */
	wait(limitMs: number, what: string): void {
		this.#since = performance.now();
		this.#what = what;
		if (limitMs !== this.#limitMs) {
			this.#limitMs = limitMs;
			clearTimeout(this.#timer);
			this.#arm(limitMs);
		} else if (this.#timer === undefined) this.#arm(limitMs);
	}

	stop(): void {
		this.#stopped = true;
		clearTimeout(this.#timer);
		this.#timer = undefined;
	}

	#arm(ms: number): void {
		this.#timer = setTimeout(this.#fire, ms);
	}

	readonly #fire = (): void => {
		this.#timer = undefined;
		if (this.#stopped || this.#since === null) return;
		const left = this.#limitMs - (performance.now() - this.#since);
		if (left > 0) return this.#arm(Math.ceil(left));
		this.#stopped = true;
		this.#onStall(this.#limitMs, this.#what);
	};
}
