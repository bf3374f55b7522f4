import type { StreamEvent } from '../schemas/stream-events';
import { SwitchboardError, SwitchboardProviderError, toSwitchboardError } from './errors';
import { applyEvent, initialRunState, isTerminal, type RunState } from './run-state';

/**
 * One generation being watched: iterate it for the typed events as they arrive, or await `result`.
 * The events are kept, so it can be iterated more than once (each pass starts at the first event) and
 * `result` works without iterating at all. Leaving a `for await` early only stops that loop; `stop()`
 * ends the generation itself.
 *
 * When the generation fails, iteration yields the `error` event and ends, and `result` rejects with a
 * SwitchboardProviderError. When the call itself fails (auth, network…), iteration throws and `result`
 * rejects with a SwitchboardError.
 */
export type GenerationRun<R> = AsyncIterable<StreamEvent> & {
	readonly result: Promise<R>;
	stop(): Promise<void>;
};

export type ConnectionState = { state: 'idle' | 'connecting' | 'pending'; error: unknown };

export type WatchHandlers = {
	onEvent(event: StreamEvent): void;
	onError(error: unknown): void;
	onComplete(): void;
	onConnectionState(state: ConnectionState): void;
};

/** How a run reaches its generation: its ids known, watchable, and what its result looks like. */
export type RunSource<R> = {
	watch(handlers: WatchHandlers): { unsubscribe(): void };
	finish(state: RunState & { end: { type: 'done' } }): R;
	/** Ends the generation on the server; without it, stop() only stops watching. */
	stop?: () => Promise<void>;
	/**
	 * The request starting the generation, when the watch reads its response or opens alongside it:
	 * its failure ends the run with its own error (the watch has no events to end it with).
	 */
	sending?: Promise<unknown>;
};

export type RunOptions = {
	/** Give up when the event stream stays disconnected this long (it reconnects on its own before). */
	reconnectTimeoutMs?: number;
};

type Settled = { ok: true } | { ok: false; error: unknown };

class EventLog {
	readonly events: StreamEvent[] = [];
	settled: Settled | null = null;
	private wakers: (() => void)[] = [];

	push(event: StreamEvent): void {
		this.events.push(event);
		this.wake();
	}

	settle(outcome: Settled): void {
		if (this.settled) return;
		this.settled = outcome;
		this.wake();
	}

	waitForMore(): Promise<void> {
		return new Promise((resolve) => this.wakers.push(resolve));
	}

	private wake(): void {
		const wakers = this.wakers;
		this.wakers = [];
		for (const wake of wakers) wake();
	}
}

async function* readLog(log: EventLog): AsyncGenerator<StreamEvent> {
	let index = 0;
	for (;;) {
		if (index < log.events.length) {
			yield log.events[index++];
			continue;
		}
		if (log.settled) {
			if (!log.settled.ok) throw log.settled.error;
			return;
		}
		await log.waitForMore();
	}
}

function deferred<T>() {
	let resolve!: (value: T) => void;
	let reject!: (error: unknown) => void;
	const promise = new Promise<T>((res, rej) => {
		resolve = res;
		reject = rej;
	});
	// A caller that only iterates never awaits `result`: its rejection must not crash the process.
	promise.catch(() => {});
	return { promise, resolve, reject };
}

const DEFAULT_RECONNECT_TIMEOUT_MS = 30_000;

/** Starts `setup` (the mutations that begin a generation) and watches what it returns. */
export function createRun<R>(setup: () => Promise<RunSource<R>>, options: RunOptions = {}): GenerationRun<R> {
	const log = new EventLog();
	const result = deferred<R>();
	let state: RunState = initialRunState;
	let source: RunSource<R> | null = null;
	let subscription: { unsubscribe(): void } | null = null;
	let lostTimer: ReturnType<typeof setTimeout> | null = null;
	let finished = false;

	const clearLostTimer = () => {
		if (lostTimer) clearTimeout(lostTimer);
		lostTimer = null;
	};
	const close = () => {
		finished = true;
		clearLostTimer();
		subscription?.unsubscribe();
		subscription = null;
	};
	const fail = (error: unknown) => {
		if (finished) return;
		close();
		const typed = toSwitchboardError(error);
		log.settle({ ok: false, error: typed });
		result.reject(typed);
	};
	const onEvent = (event: StreamEvent) => {
		if (finished) return;
		state = applyEvent(state, event);
		log.push(event);
		if (!isTerminal(event) || !source) return;
		close();
		log.settle({ ok: true });
		if (state.end?.type === 'done') result.resolve(source.finish({ ...state, end: state.end }));
		else if (state.end?.type === 'error') {
			result.reject(
				new SwitchboardProviderError(state.end.error, { text: state.text, modelId: state.modelId })
			);
		}
	};
	const onConnectionState = ({ state: connection, error }: ConnectionState) => {
		if (connection !== 'connecting' || !error) return clearLostTimer();
		lostTimer ??= setTimeout(
			() =>
				fail(new SwitchboardError('NETWORK_ERROR', 'Lost the connection to Switchboard', { cause: error })),
			options.reconnectTimeoutMs ?? DEFAULT_RECONNECT_TIMEOUT_MS
		);
	};

	const starting = setup();
	starting.then((started) => {
		started.sending?.catch(fail);
		if (finished) return;
		source = started;
		subscription = started.watch({
			onEvent,
			onError: fail,
			onConnectionState,
			onComplete: () =>
				fail(new SwitchboardError('INTERNAL_SERVER_ERROR', 'The event stream ended before the answer did'))
		});
		// The subscription may have ended synchronously (a terminal event delivered at once).
		if (finished) subscription.unsubscribe();
	}, fail);

	return {
		result: result.promise,
		[Symbol.asyncIterator]: () => readLog(log),
		async stop() {
			// Wait for the start: stopping before the server knows the generation would leave it running.
			const started = await starting.catch(() => null);
			if (finished) return;
			if (started?.stop) return started.stop();
			fail(new SwitchboardError('CLIENT_CLOSED_REQUEST', 'Stopped watching the generation'));
		}
	};
}
