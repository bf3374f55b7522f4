import type { Cluster } from '../cluster/cluster';
import type { Db } from '../db/client';
import {
	failStreamingMessages,
	listStreamingMessages,
	settleStreamingMessage
} from '../db/repositories/message-repository';
import type { MessageError } from '../db/schema';
import type { MessageRow } from '../db/repositories/message-repository';
import { describeError, log } from '../log';

const interrupted: MessageError = {
	code: 'aborted',
	message: 'The server restarted while this answer was being written. What arrived before is kept.'
};

/**
 * Answers that were streaming when their process died can never finish: mark them failed (code
 * `aborted`), keeping the text streamed so far. Runs at start, before requests are served. A single
 * process owns every answer, so all of them are failed. With several processes this fails nothing:
 * another live process may own them, and the sweeper started next (see LeaseSweeper) fails those
 * whose lease stays gone.
 */
export async function recoverInterruptedGenerations(db: Db, cluster: Cluster): Promise<number> {
	if (cluster.mode === 'single') return failStreamingMessages(db, interrupted);
	return 0;
}

/**
 * Fails the `streaming` answers no process holds a lease for, keeping the longer of the text saved
 * and the text their shared log holds. An answer is failed only once its lease has been seen missing
 * for a whole lease's life: a live process's lease can be missing for a moment (taken just after the
 * answer's row was written, renewed late by a busy or paused process, lost in a Redis restart and
 * written again at the next renewal), and a sweeper that starts on a new process knows none of that
 * history. Only answers older than a lease's life are looked at, by the same reasoning.
 */
export class LeaseSweeper {
	/** Answers seen `streaming` with no lease, and when that was first seen. */
	private readonly unleasedSince = new Map<string, number>();

	constructor(
		private readonly db: Db,
		private readonly cluster: Cluster,
		private readonly leaseTtlMs: number
	) {}

	/** One pass; resolves to the number of answers failed. `now` is the pass's time. */
	async sweep(now = Date.now()): Promise<number> {
		const candidates = await listStreamingMessages(this.db, new Date(now - this.leaseTtlMs));
		const held = await this.cluster.leases.heldAmong(candidates.map((c) => c.id));
		const unleased = candidates.filter((c) => !held.has(c.id));
		const stillUnleased = new Set(unleased.map((c) => c.id));
		// Leased again or ended: a later absence starts a new wait.
		for (const id of this.unleasedSince.keys()) if (!stillUnleased.has(id)) this.unleasedSince.delete(id);
		let failed = 0;
		for (const message of unleased) {
			const since = this.unleasedSince.get(message.id);
			if (since === undefined) {
				this.unleasedSince.set(message.id, now);
				continue;
			}
			if (now - since < this.leaseTtlMs) continue;
			this.unleasedSince.delete(message.id);
			if (await this.fail(message)) failed++;
		}
		return failed;
	}

	private async fail(message: Pick<MessageRow, 'id' | 'content'>): Promise<boolean> {
		const streamed = (await this.cluster.events?.streamedText(message.id)) ?? '';
		const content = streamed.length > (message.content ?? '').length ? streamed : message.content;
		return settleStreamingMessage(this.db, message.id, {
			status: 'error',
			finishReason: 'aborted',
			error: interrupted,
			content
		});
	}
}

/**
 * Sweeps at once and then every `intervalMs` (several processes only); returns a function that
 * stops it. The interval is a fraction of a lease's life, so an orphan is failed within about one
 * and a half lease lives of its process's death.
 */
export function startLeaseSweeper(db: Db, cluster: Cluster, leaseTtlMs: number): () => void {
	const sweeper = new LeaseSweeper(db, cluster, leaseTtlMs);
	const intervalMs = Math.max(500, Math.floor(leaseTtlMs / 2));
	let running = false;
	const pass = () => {
		if (running) return;
		running = true;
		sweeper
			.sweep()
			.then((count) => {
				if (count > 0) log.warn('failed answers whose process stopped', { count });
			})
			.catch((error: unknown) => log.warn('could not sweep answers', { error: describeError(error) }))
			.finally(() => (running = false));
	};
	pass();
	const timer = setInterval(pass, intervalMs);
	timer.unref();
	return () => clearInterval(timer);
}
