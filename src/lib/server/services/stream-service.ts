import type { StreamEvent } from '$lib/schemas/stream-events';
import type { Cluster } from '../cluster/cluster';
import type { RedisEventLog } from '../cluster/redis-event-log';
import type { Db } from '../db/client';
import { findOwnedMessage, type MessageRow } from '../db/repositories/message-repository';
import { AppError } from '../errors';
import { parseEventId, type LoggedEvent } from '../generation/event-log';
import { unsavedAnswer } from '../generation/persist';
import { toNumber } from './dto';
import type { GenerationService } from './generation-service';
import type { PendingStarts } from '../generation/pending-starts';
import { providerErrorCodeSchema } from '$lib/schemas/provider-error';
import { finishReasonSchema } from '$lib/schemas/common';

const notFound = () => new AppError('not_found', 'That message does not exist.');

/**
 * What a watcher of a generation receives: the live log when this process runs it (or ran it a moment
 * ago); else, with several processes, the shared log when another process runs it (or ran it a
 * moment ago); else the stored message replayed (start, its text, its end). A run always has a log,
 * so an answer still `streaming` without one has no run to finish it (its final write failed): it
 * replays as ended with that error, never as a wait. Ownership is checked either way: another
 * user's id answers exactly like a missing one.
 */
export class StreamService {
	constructor(
		private readonly deps: {
			db: Db;
			generations: GenerationService;
			cluster: Cluster;
			starts: PendingStarts;
		}
	) {}

	watchMessage(
		userId: string,
		messageId: string,
		lastEventId: string | null | undefined,
		signal: AbortSignal,
		awaitStart = false
	): AsyncIterable<LoggedEvent> {
		const after = parseEventId(lastEventId);
		// The usual watcher, of the user's answer running here: its log's reader itself, with no
		// generator relaying each event (awaitStart has nothing to wait for then).
		const live = this.deps.generations.logs.get(messageId);
		if (live?.userId === userId) return live.read(after, signal);
		return this.watchStored(userId, messageId, after, signal, awaitStart);
	}

	private async *watchStored(
		userId: string,
		messageId: string,
		after: number,
		signal: AbortSignal,
		awaitStart: boolean
	): AsyncGenerator<LoggedEvent> {
		if (awaitStart) await this.awaitStart(userId, messageId, after, signal);
		const live = this.deps.generations.logs.get(messageId);
		if (live) {
			if (live.userId !== userId) throw notFound();
			yield* live.read(after, signal);
			return;
		}
		const message = await findOwnedMessage(this.deps.db, userId, messageId);
		if (!message || message.role !== 'assistant') throw notFound();
		const shared = this.deps.cluster.events;
		if (shared && (await this.elsewhere(shared, messageId, message.status === 'streaming'))) {
			const stalled = yield* this.readShared(shared, messageId, after, signal);
			if (stalled === null) return;
			// Its process died mid-answer: the end is what the database says (or will, once swept).
			const now = await findOwnedMessage(this.deps.db, userId, messageId);
			if (now) yield { id: String(stalled + 1), event: storedEnd(now) };
			return;
		}
		// A watcher that came before its send, on a server too busy to start it within the wait, may
		// find the answer saved but its run not yet begun: "not found" again, and it watches after the
		// send (as the SDK and the chat page do) rather than reading that as an answer without a run.
		if (awaitStart && after === 0 && message.status === 'streaming') throw notFound();
		yield* replayStored(message, after);
	}

	/**
	 * Waits (bounded) for the send (or completion start) that picked this id to start its answer,
	 * unless the answer is already this user's to watch here or the watcher has seen its events (a
	 * reconnect). No SQL: the start is heard on the bus. Another user's id waits exactly like a
	 * missing one, then ends like it ("does not exist"), so the wait tells nothing about whether it
	 * exists. A send that failed ends the watch with that send's own error. After the wait the usual
	 * look-up runs, so an answer that ended long ago is still replayed.
	 */
	private async awaitStart(userId: string, id: string, after: number, signal: AbortSignal) {
		if (after > 0 || this.deps.generations.logs.get(id)?.userId === userId) return;
		const outcome = await this.deps.starts.wait(id, userId, signal);
		if (outcome && !outcome.started) throw outcome.error;
	}

	/**
	 * Whether another process's log serves this generation: its log exists (running, or ended a
	 * moment ago), or it is still running there and its first events are on their way.
	 */
	private async elsewhere(shared: RedisEventLog, id: string, streaming: boolean): Promise<boolean> {
		if (await shared.exists(id)) return true;
		return streaming && (await this.deps.cluster.leases.isHeld(id));
	}

	private readShared(shared: RedisEventLog, id: string, after: number, signal: AbortSignal) {
		return shared.read(id, after, signal, () => this.deps.cluster.leases.isHeld(id));
	}

	async *watchCompletion(
		userId: string,
		generationId: string,
		lastEventId: string | null | undefined,
		signal: AbortSignal,
		awaitStart = false
	): AsyncGenerator<LoggedEvent> {
		const after = parseEventId(lastEventId);
		if (awaitStart) await this.awaitStart(userId, generationId, after, signal);
		const live = this.deps.generations.logs.get(generationId);
		if (live && live.userId === userId) return yield* live.read(after, signal);
		const shared = this.deps.cluster.events;
		if (!live && shared && (await shared.ownerOf(generationId)) === userId) {
			const stalled = yield* this.readShared(shared, generationId, after, signal);
			if (stalled !== null) throw new AppError('unavailable', 'The completion ended with its server.');
			return;
		}
		throw new AppError('not_found', 'That completion does not exist or has expired.');
	}
}

/** A finished message as events. A watcher that had seen part of a dropped log gets the end only. */
export function* replayStored(message: MessageRow, after: number): Generator<LoggedEvent> {
	const events: StreamEvent[] = [
		{
			type: 'start',
			messageId: message.id,
			providerId: message.providerId ?? '',
			modelId: message.modelId ?? ''
		}
	];
	if (message.content) events.push({ type: 'delta', text: message.content });
	events.push(storedEnd(message));
	if (after >= events.length) {
		yield { id: String(after + 1), event: events[events.length - 1] };
		return;
	}
	for (let i = after; i < events.length; i++) yield { id: String(i + 1), event: events[i] };
}

function storedEnd(message: MessageRow): StreamEvent {
	if (message.status === 'error' || message.status === 'streaming') {
		const error = message.status === 'streaming' ? unsavedAnswer : message.error;
		return {
			type: 'error',
			error: {
				code: providerErrorCodeSchema.safeParse(error?.code).data ?? 'unknown',
				message: error?.message ?? 'The answer failed.',
				retryable: false,
				providerId: message.providerId ?? '',
				retryAfterMs: message.error?.retryAfterMs ?? null
			}
		};
	}
	const finish = finishReasonSchema.safeParse(message.finishReason);
	return {
		type: 'done',
		finishReason: message.status === 'stopped' ? 'aborted' : finish.success ? finish.data : 'stop',
		usage: {
			inputTokens: message.inputTokens ?? 0,
			outputTokens: message.outputTokens ?? 0,
			cacheReadTokens: message.cacheReadTokens ?? 0,
			cacheWriteTokens: message.cacheWriteTokens ?? 0,
			costUsd: toNumber(message.costUsd),
			estimated: message.usageEstimated
		}
	};
}
