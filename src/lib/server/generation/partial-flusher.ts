/**
 * Writes the text streamed so far every `intervalMs` while a generation runs: a crash then loses at
 * most that much, and the database sees one write a second, never one per token.
 */
export class PartialFlusher {
	private timer: ReturnType<typeof setInterval> | undefined;
	private latest = '';
	private written = '';
	private inFlight: Promise<void> = Promise.resolve();

	constructor(
		private readonly write: (content: string) => Promise<void>,
		private readonly intervalMs: number,
		private readonly onError: (error: unknown) => void
	) {}

	start(): void {
		this.timer = setInterval(() => this.flush(), this.intervalMs);
		this.timer.unref();
	}

	update(content: string): void {
		this.latest = content;
	}

	private flush(): void {
		if (this.latest === this.written) return;
		const content = this.latest;
		this.inFlight = this.inFlight
			.then(() => this.write(content))
			.then(
				() => void (this.written = content),
				(error: unknown) => this.onError(error)
			);
	}

	/** Stops the timer and waits for a write in progress, so the final write lands last. */
	async stop(): Promise<void> {
		clearInterval(this.timer);
		await this.inFlight;
	}
}
