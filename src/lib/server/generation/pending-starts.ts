import type { Bus, BusMessage } from '../cluster/bus';
import { AppError, type AppErrorCode } from '../errors';
import { describeError, log } from '../log';

type TurnMessage = Extract<BusMessage, { type: 'turn' }>;
type Failure = NonNullable<TurnMessage['failure']>;

/** What a watcher waiting for a send learns: it started, it failed (and why), or nothing in time. */
export type StartOutcome = { started: true } | { started: false; error: AppError } | null;

type Waiter = { userId: string; settle: (outcome: StartOutcome) => void };

const appCodes: readonly string[] = [
	'bad_request',
	'unauthorized',
	'forbidden',
	'not_found',
	'conflict',
	'too_many_requests',
	'precondition_failed',
	'provider',
	'unavailable'
] satisfies AppErrorCode[];

/** How long an outcome is remembered for a watcher whose request arrives after the send's answer. */
const REMEMBER_MS = 10_000;

/**
 * Sends with client-chosen ids, as watchers see them: `chats.stream` with `awaitStart` may arrive
 * before the send that creates its message (`completions.stream` before its `completions.start`),
 * so it waits here (bounded) for that send to start or fail. Outcomes travel on the cluster bus, so
 * a watcher on one process hears a send that landed on another; no database polling. Only the
 * sender's own watchers hear of it: an outcome carries the sender's user id, and another user
 * waiting on the same id hears nothing and times out exactly as for an id that never existed.
 */
export class PendingStarts {
	private readonly waiters = new Map<string, Set<Waiter>>();
	/** Recent outcomes by message id, oldest first (Map order), for watchers that come late. */
	private readonly recent = new Map<string, { at: number; message: TurnMessage }>();

	constructor(
		private readonly bus: Bus,
		private readonly waitMs: number
	) {
		bus.subscribe((message) => {
			if (message.type === 'turn') this.hear(message);
		});
	}

	/** Tells every process's waiters that a send started its answer (or failed with `error`). */
	announce(messageId: string, userId: string, error?: unknown): void {
		const message: TurnMessage = {
			type: 'turn',
			messageId,
			userId,
			failure: error ? toFailure(error) : null
		};
		this.bus.publish(message).catch((caught: unknown) => {
			// Waiters on other processes then end at their deadline; the sender has its own answer.
			log.warn('could not announce a turn', { error: describeError(caught) });
		});
	}

	/**
	 * Runs a send (or completion start) under a client-picked id and announces its outcome: started
	 * once `start` resolves, or failed with the error it throws (which it still throws).
	 */
	async announcing<T>(messageId: string, userId: string, start: () => Promise<T>): Promise<T> {
		try {
			const started = await start();
			this.announce(messageId, userId);
			return started;
		} catch (error) {
			this.announce(messageId, userId, error);
			throw error;
		}
	}

	/** Resolves when this user's send for `messageId` starts or fails; null after the wait or on abort. */
	wait(messageId: string, userId: string, signal: AbortSignal): Promise<StartOutcome> {
		const known = this.recent.get(messageId)?.message;
		if (known && known.userId === userId) return Promise.resolve(outcomeOf(known));
		return new Promise((resolve) => {
			const waiters = this.waiters.get(messageId) ?? new Set<Waiter>();
			this.waiters.set(messageId, waiters);
			const finish = (outcome: StartOutcome) => {
				clearTimeout(timer);
				signal.removeEventListener('abort', onAbort);
				waiters.delete(waiter);
				if (waiters.size === 0 && this.waiters.get(messageId) === waiters) this.waiters.delete(messageId);
				resolve(outcome);
			};
			const waiter: Waiter = { userId, settle: finish };
			const onAbort = () => finish(null);
			const timer = setTimeout(onAbort, this.waitMs);
			signal.addEventListener('abort', onAbort, { once: true });
			waiters.add(waiter);
		});
	}

	/** Watchers waiting right now (the tests check that none is left behind). */
	get waiting(): number {
		let n = 0;
		for (const set of this.waiters.values()) n += set.size;
		return n;
	}

	private hear(message: TurnMessage): void {
		const now = Date.now();
		this.recent.delete(message.messageId);
		this.recent.set(message.messageId, { at: now, message });
		for (const [id, entry] of this.recent) {
			if (now - entry.at < REMEMBER_MS) break;
			this.recent.delete(id);
		}
		for (const waiter of [...(this.waiters.get(message.messageId) ?? [])]) {
			if (waiter.userId === message.userId) waiter.settle(outcomeOf(message));
		}
	}
}

function outcomeOf(message: TurnMessage): StartOutcome {
	if (!message.failure) return { started: true };
	const { code, message: text, retryAfterMs } = message.failure;
	const appCode = (appCodes.includes(code) ? code : 'unavailable') as AppErrorCode;
	return { started: false, error: new AppError(appCode, text, { retryAfterMs }) };
}

/** A send's failure as its watchers may hear it: the message the sender got, never a cause. */
function toFailure(error: unknown): Failure {
	if (error instanceof AppError) {
		return { code: error.code, message: error.message, retryAfterMs: error.retryAfterMs };
	}
	return { code: 'unavailable', message: 'The message could not be sent. Try again in a moment.' };
}
