import type { Cluster } from '../cluster/cluster';
import type { Db } from '../db/client';
import {
	failStreamingMessages,
	listStreamingMessages,
	settleStreamingMessage
} from '../db/repositories/message-repository';
import type { MessageError } from '../db/schema';
import { describeError, log } from '../log';

const interrupted: MessageError = {
	code: 'aborted',
	message: 'The server restarted while this answer was being written. What arrived before is kept.'
};

/**
 * Answers that were streaming when their process died can never finish: mark them failed (code
 * `aborted`), keeping the text streamed so far. Runs at start, before requests are served. A single
 * process owns every answer, so all of them are failed; with several processes, only those whose
 * lease has expired (see sweepExpiredLeases).
 */
export function recoverInterruptedGenerations(db: Db, cluster: Cluster, leaseTtlMs: number): Promise<number> {
	if (cluster.mode === 'single') return failStreamingMessages(db, interrupted);
	return sweepExpiredLeases(db, cluster, leaseTtlMs);
}

/**
 * Fails the `streaming` answers no process holds a lease for. Only answers older than a lease's
 * life are considered: a newer one may be between its insert and its run taking the lease. The
 * text kept is the longer of what was saved and what its shared log holds.
 */
export async function sweepExpiredLeases(db: Db, cluster: Cluster, leaseTtlMs: number): Promise<number> {
	const candidates = await listStreamingMessages(db, new Date(Date.now() - leaseTtlMs));
	if (candidates.length === 0) return 0;
	const held = await cluster.leases.heldAmong(candidates.map((c) => c.id));
	let failed = 0;
	for (const message of candidates) {
		if (held.has(message.id)) continue;
		const streamed = (await cluster.events?.streamedText(message.id)) ?? '';
		const content = streamed.length > (message.content ?? '').length ? streamed : message.content;
		const settled = await settleStreamingMessage(db, message.id, {
			status: 'error',
			finishReason: 'aborted',
			error: interrupted,
			content
		});
		if (settled) failed++;
	}
	return failed;
}

/** Sweeps every `intervalMs` (several processes only); returns a function that stops it. */
export function startLeaseSweeper(db: Db, cluster: Cluster, leaseTtlMs: number): () => void {
	const intervalMs = Math.max(500, Math.floor(leaseTtlMs / 2));
	let running = false;
	const timer = setInterval(() => {
		if (running) return;
		running = true;
		sweepExpiredLeases(db, cluster, leaseTtlMs)
			.then((count) => {
				if (count > 0) log.warn('failed answers whose process stopped', { count });
			})
			.catch((error: unknown) => log.warn('could not sweep answers', { error: describeError(error) }))
			.finally(() => (running = false));
	}, intervalMs);
	timer.unref();
	return () => clearInterval(timer);
}
