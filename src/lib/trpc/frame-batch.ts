/**
 * Stream deltas gathered per message and handed over at most once per animation frame: a fast
 * stream sends many deltas a frame, and each one applied would wake the message's readers again.
 * `flush` hands over at once, for events that must see the text so far (done, error, a new start).
 */
export class FrameBatch {
	#pending = new Map<string, string>();
	#cancel: (() => void) | null = null;

	constructor(
		private readonly apply: (id: string, text: string) => void,
		/** Runs `run` once, soon; returns what cancels it. */
		private readonly schedule: (run: () => void) => () => void = nextFrame
	) {}

	push(id: string, text: string): void {
		this.#pending.set(id, (this.#pending.get(id) ?? '') + text);
		this.#cancel ??= this.schedule(() => {
			this.#cancel = null;
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
		if (this.#pending.size === 0 && this.#cancel) {
			this.#cancel();
			this.#cancel = null;
		}
	}

	/** Drops what is waiting (the session is going away). */
	clear(): void {
		this.#pending.clear();
		this.#cancel?.();
		this.#cancel = null;
	}
}

/**
 * The next animation frame, or 100 ms if no frame comes first: frames stop in a background tab and
 * slow down on a starved machine, and the text must still arrive.
 */
function nextFrame(run: () => void): () => void {
	let done = false;
	const once = () => {
		if (done) return;
		done = true;
		cancelAnimationFrame(frame);
		clearTimeout(timer);
		run();
	};
	const frame = requestAnimationFrame(once);
	const timer = setTimeout(once, 100);
	return () => {
		done = true;
		cancelAnimationFrame(frame);
		clearTimeout(timer);
	};
}
