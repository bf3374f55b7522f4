/**
 * Stream deltas gathered per message and handed over at most once per animation frame: a fast
 * stream sends many deltas a frame, and each one applied would wake the message's readers again.
 * `flush` hands over at once, for events that must see the text so far (done, error, a new start).
 */
export class FrameBatch {
	#pending = new Map<string, string>();
	#frame: number | null = null;

	constructor(
		private readonly apply: (id: string, text: string) => void,
		private readonly frames: { request: (run: () => void) => number; cancel: (handle: number) => void } = {
			request: (run) => requestAnimationFrame(run),
			cancel: (handle) => cancelAnimationFrame(handle)
		}
	) {}

	push(id: string, text: string): void {
		this.#pending.set(id, (this.#pending.get(id) ?? '') + text);
		this.#frame ??= this.frames.request(() => {
			this.#frame = null;
			this.flush();
		});
	}

	/** Applies what is waiting, for one message or all of them. */
	flush(id?: string): void {
		for (const [key, text] of [...this.#pending]) {
			if (id !== undefined && key !== id) continue;
			this.#pending.delete(key);
			this.apply(key, text);
		}
		if (this.#pending.size === 0 && this.#frame !== null) {
			this.frames.cancel(this.#frame);
			this.#frame = null;
		}
	}

	/** Drops what is waiting (the session is going away). */
	clear(): void {
		this.#pending.clear();
		if (this.#frame !== null) this.frames.cancel(this.#frame);
		this.#frame = null;
	}
}
