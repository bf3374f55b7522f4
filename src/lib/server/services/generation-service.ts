import { setTimeout as sleep } from 'node:timers/promises';
import type { StreamEvent } from '$lib/schemas/stream-events';
import type { Db } from '../db/client';
import { saveStreamingContents } from '../db/repositories/message-repository';
import type { NewUsage } from '../db/repositories/usage-repository';
import { runAttempt, type AttemptContext } from '../generation/attempt';
import { GenerationLogStore, type GenerationLog } from '../generation/event-log';
import { startAhead, type HeadStart } from '../generation/head-start';
import { PartialSaves } from '../generation/partial-saves';
import { storableText } from '../generation/storable-text';
import { persistOutcome } from '../generation/persist';
import { observeProviderCalls } from '../observability/provider-calls';
import { fallbackUsage, settle, terminalEvent } from '../generation/settle';
import type { GenerationOutcome, GenerationSpec } from '../generation/spec';
import type { UserCaps, UserLimiter } from '../generation/user-limits';
import type { Cluster } from '../cluster/cluster';
import { AppError } from '../errors';
import { describeError, log } from '../log';
import type { ProviderManager, ResolvedModel } from './provider-manager';
import type { Caller } from '../auth/caller';
import type { BudgetService } from './budget-service';
import type { SettingsService } from './settings-service';

export type GenerationSettings = {
	maxRetries: number;
	timeoutMs: number;
	maxConcurrentPerUser: number;
	requestsPerMinute: number;
	/** How long a finished generation's events stay in memory for late subscribers. */
	retainLogMs: number;
	flushIntervalMs: number;
	/** How often an open subscription re-checks its session or token. */
	watcherAuthCheckMs: number;
	/** How long a watcher with `awaitStart` waits for the send creating its message. */
	awaitStartMs: number;
};

/** `done` is null only when the run itself crashed. */
type Run = { controller: AbortController; done: Promise<GenerationOutcome | null>; userId: string };

// How long a stop from another process waits for the answer to be saved by the process running it.
const REMOTE_STOP_WAIT_MS = 10_000;
// Bounds the stops remembered for runs not started yet: a flood of stops for unknown ids stays small.
const MAX_PENDING_STOPS = 10_000;

/**
 * Runs generations detached from any request: the caller starts one and returns at once; watchers
 * read its event log. Fallback, stop, usage and cost live here; providers only stream. Each run
 * holds a lease (cluster/leases.ts) until its answer is saved, so other processes know it is alive.
 */
export class GenerationService {
	readonly logs: GenerationLogStore;
	readonly limits: UserLimiter;
	readonly settings: GenerationSettings;
	private readonly runs = new Map<string, Run>();
	/** Set at shutdown: running answers may finish, new ones go to another process or wait. */
	private draining = false;
	/** Slots handed out and not yet released: runs, and sends still writing before their run starts. */
	private reserved = 0;
	/** Set once shutdown's grace has passed: a run that starts now is stopped at once. */
	private halted = false;
	/**
	 * Stops announced for runs this process has not started (yet), by id, with the user and when
	 * they expire: a stop can overtake the run it is for (the answer's row is visible before its run
	 * starts), and the run must then stop as soon as it starts instead of writing its whole answer.
	 */
	private readonly pendingStops = new Map<string, { userId: string; until: number }>();
	/** Running answers' text so far, saved every flushIntervalMs for all of them at once. */
	private readonly partialSaves: PartialSaves;

	constructor(
		private readonly deps: {
			db: Db;
			providers: ProviderManager;
			settings: GenerationSettings;
			cluster: Cluster;
			budgets: BudgetService;
			appSettings: SettingsService;
		}
	) {
		this.settings = deps.settings;
		const events = deps.cluster.events;
		this.logs = new GenerationLogStore({
			retainMs: deps.settings.retainLogMs,
			sinkFor: events ? (id, userId) => events.sink(id, userId) : undefined
		});
		this.limits = deps.cluster.limits;
		this.partialSaves = new PartialSaves(
			(rows) => saveStreamingContents(deps.db, rows),
			deps.settings.flushIntervalMs,
			(error, row) =>
				log.warn('could not save partial answer', { messageId: row.messageId, error: describeError(error) })
		);
	}

	/**
	 * Lets a caller start one answer per column: their budget first (it may drop unpriced
	 * fallbacks), then one slot per column under their caps (their own, their role's or the
	 * defaults). Nothing is held when any check refuses.
	 */
	async admit(
		caller: Caller,
		asked: ResolvedModel[][]
	): Promise<{ columns: ResolvedModel[][]; releases: (() => void)[] }> {
		if (this.draining) throw restarting();
		const columns = await this.deps.budgets.admit(caller, asked);
		const { appSettings } = this.deps;
		const caps = appSettings.capsFor(caller, await appSettings.current());
		const releases: (() => void)[] = [];
		try {
			for (const _ of columns) releases.push(await this.reserve(caller.userId, caps));
		} catch (error) {
			for (const release of releases) release();
			throw error;
		}
		return { columns, releases };
	}

	/**
	 * Checks the user's caps before anything is written; the slot is held until the run ends. The
	 * caps default to the settings' (callers with per-user caps pass their own).
	 */
	async reserve(userId: string, caps?: UserCaps): Promise<() => void> {
		if (this.draining) throw restarting();
		const limits = caps ?? {
			maxConcurrent: this.deps.settings.maxConcurrentPerUser,
			perMinute: this.deps.settings.requestsPerMinute
		};
		// Counted before the wait: a shutdown that starts meanwhile waits for this send too.
		this.reserved++;
		let slot;
		try {
			slot = await this.limits.acquire(userId, limits);
		} catch (error) {
			this.reserved--;
			throw new AppError('unavailable', 'Could not check your limits. Try again in a moment.', {
				retryAfterMs: 1_000,
				cause: error
			});
		}
		if (!slot.ok) {
			this.reserved--;
			const message =
				slot.reason === 'concurrent'
					? `You already have ${limits.maxConcurrent} answers being written. Wait for one to finish.`
					: `Too many requests this minute. Try again in ${Math.ceil(slot.retryAfterMs / 1000)} s.`;
			throw new AppError('too_many_requests', message, { retryAfterMs: slot.retryAfterMs });
		}
		let released = false;
		const release = slot.release;
		return () => {
			if (!released) {
				release();
				this.reserved--;
			}
			released = true;
		};
	}

	/** Starts a run that holds the slot from `reserve`; returns its log at once. */
	start(spec: GenerationSpec, release: () => void): GenerationLog {
		const genLog = this.logs.create(spec.id, spec.userId);
		const leases = this.deps.cluster.leases;
		leases.hold(spec.id);
		const controller = new AbortController();
		// A send that reserved before shutdown began but reached here after its grace: saved as stopped.
		if (this.halted || this.takePendingStop(spec.id, spec.userId)) controller.abort();
		const done = this.run(spec, genLog, controller.signal)
			.catch((caught: unknown) => {
				// A bug, not a provider or database failure (those are outcomes): watchers still see an end.
				log.error('a generation failed unexpectedly', { id: spec.id, error: describeError(caught) });
				genLog.append(unexpectedEnd(spec));
				return null;
			})
			.finally(async () => {
				// The answer is saved: once its events are shared too, nobody needs its lease.
				await genLog.drain();
				await leases
					.release(spec.id)
					.catch((error: unknown) =>
						log.warn('could not release a lease', { id: spec.id, error: describeError(error) })
					);
				this.runs.delete(spec.id);
				this.logs.release(spec.id);
				release();
			});
		this.runs.set(spec.id, { controller, done, userId: spec.userId });
		return genLog;
	}

	/**
	 * Begins a spec's first call while its turn is being saved: prepared as its attempt would prepare
	 * it, sent once `saved` resolves, never if it rejects (head-start.ts). `start` hands it over.
	 */
	startAhead(spec: Pick<GenerationSpec, 'candidates' | 'request'>, saved: Promise<unknown>): HeadStart {
		const target = spec.candidates[0];
		const request = this.deps.providers.prepareRequest(target, {
			...spec.request,
			model: target.model.modelId
		});
		return startAhead(target, request, saved);
	}

	isRunning(id: string): boolean {
		return this.runs.has(id);
	}

	/** Whether this or another process runs the generation. */
	async isRunningAnywhere(id: string): Promise<boolean> {
		return this.runs.has(id) || (await this.deps.cluster.leases.isHeld(id));
	}

	/** The outcome of a running generation, for callers that wait (stateless completions). */
	outcome(id: string): Promise<GenerationOutcome | null> | undefined {
		return this.runs.get(id)?.done;
	}

	/** Stops a run of this user's; resolves once what streamed is saved. False when nothing ran. */
	async stop(id: string, userId: string): Promise<boolean> {
		const run = this.runs.get(id);
		if (!run || run.userId !== userId) return false;
		run.controller.abort();
		await run.done;
		return true;
	}

	/**
	 * A stop announced on the bus (by any process, this one included): stops the run if it is here,
	 * else remembers it for a lease's life in case the run is about to start here.
	 */
	onStopAnnounced(id: string, userId: string): void {
		const run = this.runs.get(id);
		if (run) {
			if (run.userId === userId) run.controller.abort();
			return;
		}
		const now = Date.now();
		for (const [key, pending] of this.pendingStops) {
			if (pending.until > now && this.pendingStops.size < MAX_PENDING_STOPS) break;
			this.pendingStops.delete(key);
		}
		this.pendingStops.set(id, { userId, until: now + this.deps.cluster.leaseTtlMs });
	}

	private takePendingStop(id: string, userId: string): boolean {
		const pending = this.pendingStops.get(id);
		if (!pending) return false;
		this.pendingStops.delete(id);
		return pending.userId === userId && pending.until > Date.now();
	}

	/**
	 * Stops a run of this user's wherever it runs: here, or on the process that runs it. The stop is
	 * announced to every process even when no lease is seen, since the lease can be missing while the
	 * run is alive: taken just after the answer's row became visible, or lapsed for a moment between
	 * two renewals. Resolves once what streamed is saved (when a lease says where it runs); false when
	 * no run is known, and the caller settles the stored answer itself.
	 */
	async stopAnywhere(id: string, userId: string): Promise<boolean> {
		if (await this.stop(id, userId)) return true;
		const { leases, bus } = this.deps.cluster;
		await bus.publish({ type: 'stop', generationId: id, userId });
		if (!(await leases.isHeld(id))) return false;
		const deadline = Date.now() + REMOTE_STOP_WAIT_MS;
		// The lease goes once the answer is saved; polled, as a stop is rare and short.
		while (await leases.isHeld(id)) {
			if (Date.now() >= deadline) {
				throw new AppError('unavailable', 'The answer did not stop in time. Try again.', {
					retryAfterMs: 1_000
				});
			}
			await sleep(20);
		}
		return true;
	}

	/**
	 * Whether a generation under this id runs, or ran a moment ago, here or (with shared state) on
	 * another process: a client-picked id must not start a second one over its log.
	 */
	async isKnown(id: string): Promise<boolean> {
		if (this.runs.has(id) || this.logs.get(id)) return true;
		const shared = this.deps.cluster.events;
		return shared ? (await shared.ownerOf(id)) !== null : false;
	}

	get isDraining(): boolean {
		return this.draining;
	}

	/** Refuses new runs from now on (shutdown); running ones go on. */
	beginDrain(): void {
		this.draining = true;
	}

	/**
	 * Resolves true once no run is left and no send that reserved a slot is still on its way to
	 * starting one, or false when `timeoutMs` passes first. Polls: it runs once, at shutdown.
	 */
	async waitForIdle(timeoutMs: number): Promise<boolean> {
		const deadline = Date.now() + timeoutMs;
		while (this.reserved > 0 || this.runs.size > 0) {
			if (Date.now() >= deadline) return false;
			await sleep(50);
		}
		return true;
	}

	/** Stops every run and waits until each is saved: for shutdown, so no answer is left `streaming`. */
	async stopAll(): Promise<void> {
		const runs = [...this.runs.values()];
		for (const run of runs) run.controller.abort();
		await Promise.allSettled(runs.map((run) => run.done));
	}

	/**
	 * Shutdown after the grace period: stops every run, and the runs that sends already under way
	 * start from now on, until none is left (or `timeoutMs` passes), so nothing is left `streaming`.
	 */
	async halt(timeoutMs: number): Promise<void> {
		this.halted = true;
		const deadline = Date.now() + timeoutMs;
		do {
			await this.stopAll();
			if (this.reserved === 0 && this.runs.size === 0) return;
			await sleep(50);
		} while (Date.now() < deadline);
	}

	get runningCount(): number {
		return this.runs.size;
	}

	/** Streams from the candidates in turn, then settles the answer: saved, and the stream ended. */
	private async run(
		spec: GenerationSpec,
		genLog: GenerationLog,
		signal: AbortSignal
	): Promise<GenerationOutcome> {
		const started = performance.now();
		const partial = spec.messageId ? this.partialSaves.track(spec.messageId) : null;
		try {
			const streamed = { text: '', ttftMs: null as number | null };
			const first = spec.candidates[0];
			genLog.append({
				type: 'start',
				messageId: spec.id,
				providerId: first.providerId,
				modelId: first.model.modelId
			});
			const { answered, result, failedAttempts, retries } = await this.tryCandidates(spec, genLog, {
				providers: this.deps.providers,
				retry: this.deps.settings,
				request: spec.request,
				headStart: spec.headStart,
				signal,
				onText: (received) => {
					// What is saved must be storable, and the deltas must add up to what is saved.
					const text = spec.messageId ? storableText(received) : received;
					streamed.ttftMs ??= Math.round(performance.now() - started);
					streamed.text += text;
					partial?.update(streamed.text);
					genLog.append({ type: 'delta', text });
				}
			});
			const { outcome, usage } = settle(spec, answered, result, {
				...streamed,
				latencyMs: Math.round(performance.now() - started)
			});
			await partial?.stop();
			const rows = [...failedAttempts, usage];
			const saveError = await persistOutcome(this.deps.db, spec, outcome, rows);
			observeProviderCalls(rows.map((row, i) => ({ usage: row, retries: retries[i] ?? 0 })));
			const saved = { ...outcome, saveError };
			await spec.beforeEnd?.(saved).catch((error: unknown) => {
				log.warn('work before the end of an answer failed', { id: spec.id, error: describeError(error) });
			});
			genLog.append(terminalEvent(saved));
			return saved;
		} finally {
			// Also when the run crashed: an answer left among the partial saves would keep being rewritten,
			// and a call begun ahead that no attempt took would stream to no one.
			spec.headStart?.cancel();
			await partial?.stop();
		}
	}

	/** One attempt per candidate until one does not hand over; each hand-over is logged and costed. */
	private async tryCandidates(spec: GenerationSpec, genLog: GenerationLog, context: AttemptContext) {
		const failedAttempts: NewUsage[] = [];
		const retries: number[] = [];
		for (let i = 0; ; i++) {
			const target = spec.candidates[i];
			const attemptStarted = performance.now();
			retries[i] = 0;
			const onRetry = () => retries[i]++;
			const result = await runAttempt({ ...context, onRetry }, target, spec.candidates[i + 1]);
			if (result.type !== 'fallback') return { answered: target, result, failedAttempts, retries };
			const latencyMs = Math.round(performance.now() - attemptStarted);
			failedAttempts.push(fallbackUsage(spec, target, result.error, latencyMs));
			genLog.append({
				type: 'fallback',
				from: { providerId: target.providerId, modelId: target.model.modelId },
				to: { providerId: result.to.providerId, modelId: result.to.model.modelId },
				reason: result.error.code
			});
		}
	}
}

function restarting(): AppError {
	return new AppError('unavailable', 'Switchboard is restarting. Try again in a moment.', {
		retryAfterMs: 2_000
	});
}

function unexpectedEnd(spec: GenerationSpec): StreamEvent {
	return {
		type: 'error',
		error: {
			code: 'unknown',
			message: 'The answer ended unexpectedly.',
			retryable: true,
			providerId: spec.candidates[0].providerId,
			retryAfterMs: null
		}
	};
}
