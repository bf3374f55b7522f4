/** One running answer's part: its text so far goes into the next write, until it stops. */
export type PartialSave = {
	update(content: string): void;
	/** Leaves the writes, and waits for one in progress, so the answer's final write lands last. */
	stop(): Promise<void>;
};

/** What a write saves of one answer: its text so far. */
export type PartialRow = { messageId: string; content: string };

/** A write's size: enough to make hundreds of streams a few statements, small enough to block nothing long. */
const MAX_ROWS = 100;
const MAX_CHARS = 1_000_000;

/**
 * The text streamed so far of every running answer, written every `intervalMs`, many answers per
 * statement: a crash loses at most that much, and the database sees a few writes a second however
 * many answers stream. (One write per answer a second before: 500 a second at 500 streams, each its
 * own commit, and on PGlite each about 0.3 ms of the one thread every turn's statements wait for.)
 */
export class PartialSaves {
	/** The latest text of each answer that changed since the last write. */
	private readonly changed = new Map<string, string>();
	/** Answers tracked and not yet stopped: the timer runs while there are any. */
	private running = 0;
	private timer: ReturnType<typeof setInterval> | undefined;
	private inFlight: Promise<void> = Promise.resolve();

	constructor(
		private readonly write: (rows: PartialRow[]) => Promise<void>,
		private readonly intervalMs: number,
		private readonly onError: (error: unknown, row: PartialRow) => void
	) {}

	/** Starts saving one answer's text; the timer runs while any answer does. */
	track(messageId: string): PartialSave {
		this.running++;
		if (!this.timer) {
			this.timer = setInterval(() => this.flush(), this.intervalMs);
			this.timer.unref();
		}
		let stopped = false;
		return {
			update: (content) => {
				if (!stopped) this.changed.set(messageId, content);
			},
			stop: async () => {
				if (!stopped) {
					stopped = true;
					this.changed.delete(messageId);
					if (--this.running === 0) {
						clearInterval(this.timer);
						this.timer = undefined;
					}
				}
				await this.inFlight;
			}
		};
	}

	private flush(): void {
		if (this.changed.size === 0) return;
		const rows = [...this.changed].map(([messageId, content]) => ({ messageId, content }));
		this.changed.clear();
		// One flush at a time: a slow one is followed by the next, never overtaken by it.
		this.inFlight = this.inFlight.then(() => this.save(rows));
	}

	private async save(rows: PartialRow[]): Promise<void> {
		for (const batch of batches(rows)) {
			try {
				await this.write(batch);
			} catch (error) {
				if (batch.length === 1) this.onError(error, batch[0]);
				// A text the database refuses must cost only its own answer the save, not its batch's.
				else for (const row of batch) await this.write([row]).catch((e: unknown) => this.onError(e, row));
			}
		}
	}
}

function* batches(rows: PartialRow[]): Generator<PartialRow[]> {
	let batch: PartialRow[] = [];
	let chars = 0;
	for (const row of rows) {
		if (batch.length > 0 && (batch.length === MAX_ROWS || chars + row.content.length > MAX_CHARS)) {
			yield batch;
			batch = [];
			chars = 0;
		}
		batch.push(row);
		chars += row.content.length;
	}
	if (batch.length > 0) yield batch;
}
