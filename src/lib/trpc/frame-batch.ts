/** The least time between two updates of a streaming answer's text: about fifteen a second. */
export const STREAM_PACE_MS = 66;

/**
 * A scheduler that runs on the first animation frame at least `spacingMs` after its previous run,
 * or 100 ms after that if no frame comes: frames stop in a background tab and slow down on a starved
 * machine, and the text must still arrive.
 */
export function pacedFrames(spacingMs: number): (run: () => void) => () => void {
	let last = -Infinity;
	return (run) => {
		const wait = Math.max(0, last + spacingMs - performance.now());
		let frame = 0;
		const once = () => {
			stop();
			last = performance.now();
			run();
		};
		const delay = wait > 0 ? setTimeout(() => (frame = requestAnimationFrame(once)), wait) : undefined;
		if (wait === 0) frame = requestAnimationFrame(once);
		const fallback = setTimeout(once, wait + 100);
		function stop() {
			cancelAnimationFrame(frame);
			clearTimeout(delay);
			clearTimeout(fallback);
		}
		return stop;
	};
}

/**
 * Stream deltas gathered per message and handed over at most once per animation frame, and no
 * more often than every STREAM_PACE_MS: a fast stream sends many deltas a frame, and each hand-over
 * re-renders the answer (its growing block, layout, paint, the scroll that follows it). Fifteen
 * updates a second read as smooth text and cost a quarter of sixty.
 * `flush` hands over at once, for events that must see the text so far (done, error, a new start).
 */
export class FrameBatch {
	#pending = new Map<string, string>();
	#cancel: (() => void) | null = null;

	constructor(
		private readonly apply: (id: string, text: string) => void,
		/** Runs `run` once, soon; returns what cancels it. */
		private readonly schedule: (run: () => void) => () => void = pacedFrames(STREAM_PACE_MS)
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
