import type { StreamEvent } from '$lib/schemas/stream-events';
import type { UsageSource } from '$lib/schemas/usage';
import type { Db } from '../db/client';
import type { MessageError } from '../db/schema';
import { finalizeMessage, saveStreamingContent } from '../db/repositories/message-repository';
import { insertUsage, type NewUsage } from '../db/repositories/usage-repository';
import { GenerationLogStore, type GenerationLog } from '../generation/event-log';
import { PartialFlusher } from '../generation/partial-flusher';
import { UserLimits } from '../generation/user-limits';
import { addCosts, computeCost } from '../generation/cost';
import { AppError } from '../errors';
import { describeError, log } from '../log';
import type { ProviderManager, ResolvedModel } from '../providers/registry';
import { streamWithRetries } from '../providers/resilient-stream';
import { estimateUsage } from '../providers/estimate-tokens';
import { ProviderError, type ChatRequest, type FinishReason, type Usage } from '../providers/types';

export type GenerationSpec = {
	/** The assistant message id for chats, a fresh id for stateless completions. */
	id: string;
	userId: string;
	chatId: string | null;
	/** Set when the answer is persisted as a message. */
	messageId: string | null;
	candidates: ResolvedModel[];
	request: Omit<ChatRequest, 'model'>;
	/** The door the request came through, kept on its usage rows ('app' when unset). */
	source?: UsageSource;
};

export type GenerationOutcome = {
	text: string;
	providerId: string;
	modelId: string;
	status: 'complete' | 'stopped' | 'error';
	finishReason: FinishReason;
	usage: Usage & { costUsd: number | null };
	error: ProviderError | null;
};

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
};

type Run = { controller: AbortController; done: Promise<GenerationOutcome>; userId: string };

/**
 * Runs generations detached from any request: the caller starts one and returns at once; watchers
 * read its event log. Fallback, stop, usage and cost live here; providers only stream.
 */
export class GenerationService {
	readonly logs: GenerationLogStore;
	readonly limits: UserLimits;
	readonly settings: GenerationSettings;
	private readonly runs = new Map<string, Run>();
	/** Set at shutdown: running answers may finish, new ones go to another process or wait. */
	private draining = false;

	constructor(private readonly deps: { db: Db; providers: ProviderManager; settings: GenerationSettings }) {
		this.settings = deps.settings;
		this.logs = new GenerationLogStore({ retainMs: deps.settings.retainLogMs });
		this.limits = new UserLimits({
			maxConcurrent: deps.settings.maxConcurrentPerUser,
			perMinute: deps.settings.requestsPerMinute
		});
	}

	/** Checks the user's caps before anything is written; the slot is held until the run ends. */
	reserve(userId: string): () => void {
		if (this.draining) {
			throw new AppError('unavailable', 'Switchboard is restarting. Try again in a moment.', {
				retryAfterMs: 2_000
			});
		}
		const slot = this.limits.acquire(userId);
		if (!slot.ok) {
			const message =
				slot.reason === 'concurrent'
					? `You already have ${this.deps.settings.maxConcurrentPerUser} answers being written. Wait for one to finish.`
					: `Too many requests this minute. Try again in ${Math.ceil(slot.retryAfterMs / 1000)} s.`;
			throw new AppError('too_many_requests', message, { retryAfterMs: slot.retryAfterMs });
		}
		let released = false;
		return () => {
			if (!released) this.limits.release(userId);
			released = true;
		};
	}

	/** Starts a run that holds the slot from `reserve`; returns its log at once. */
	start(spec: GenerationSpec, release: () => void): GenerationLog {
		const genLog = this.logs.create(spec.id, spec.userId);
		const controller = new AbortController();
		const done = this.run(spec, genLog, controller.signal).finally(() => {
			this.runs.delete(spec.id);
			this.logs.release(spec.id);
			release();
		});
		this.runs.set(spec.id, { controller, done, userId: spec.userId });
		return genLog;
	}

	isRunning(id: string): boolean {
		return this.runs.has(id);
	}

	/** The outcome of a running generation, for callers that wait (stateless completions). */
	outcome(id: string): Promise<GenerationOutcome> | undefined {
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

	get isDraining(): boolean {
		return this.draining;
	}

	/** Refuses new runs from now on (shutdown); running ones go on. */
	beginDrain(): void {
		this.draining = true;
	}

	/** Resolves true once no run is left, or false when `timeoutMs` passes first. */
	async waitForIdle(timeoutMs: number): Promise<boolean> {
		let timer: NodeJS.Timeout | undefined;
		const timedOut = new Promise<false>((resolve) => {
			timer = setTimeout(() => resolve(false), timeoutMs);
		});
		try {
			for (;;) {
				const running = [...this.runs.values()].map((run) => run.done);
				if (running.length === 0) return true;
				const settled = await Promise.race([Promise.allSettled(running).then(() => true), timedOut]);
				if (!settled) return false;
			}
		} finally {
			clearTimeout(timer);
		}
	}

	/** Stops every run and waits until each is saved: for shutdown, so no answer is left `streaming`. */
	async stopAll(): Promise<void> {
		const runs = [...this.runs.values()];
		for (const run of runs) run.controller.abort();
		await Promise.allSettled(runs.map((run) => run.done));
	}

	get runningCount(): number {
		return this.runs.size;
	}

	private async run(
		spec: GenerationSpec,
		genLog: GenerationLog,
		signal: AbortSignal
	): Promise<GenerationOutcome> {
		const { providers, settings } = this.deps;
		const started = performance.now();
		const first = spec.candidates[0];
		const failedAttempts: NewUsage[] = [];
		let answered = first;
		let text = '';
		let ttftMs: number | null = null;
		let finish: { finishReason: FinishReason; usage: Usage } | null = null;
		let failure: ProviderError | null = null;
		const flusher = spec.messageId ? this.flusherFor(spec.messageId) : null;
		flusher?.start();

		genLog.append({
			type: 'start',
			messageId: spec.id,
			providerId: first.providerId,
			modelId: first.model.modelId
		});
		for (let i = 0; i < spec.candidates.length; i++) {
			const target = spec.candidates[i];
			answered = target;
			const attemptStarted = performance.now();
			const request = providers.prepareRequest(target, { ...spec.request, model: target.model.modelId });
			try {
				for await (const part of streamWithRetries(target.provider, request, {
					signal,
					maxRetries: settings.maxRetries,
					firstTokenTimeoutMs: settings.timeoutMs,
					idleTimeoutMs: settings.timeoutMs
				})) {
					if (part.type === 'text-delta') {
						if (!part.text) continue;
						ttftMs ??= Math.round(performance.now() - started);
						text += part.text;
						flusher?.update(text);
						genLog.append({ type: 'delta', text: part.text });
					} else {
						finish = { finishReason: part.finishReason, usage: part.usage };
					}
				}
				if (!finish && !signal.aborted) {
					throw new ProviderError({
						code: 'unknown',
						message: 'The provider ended the answer without finishing it.',
						providerId: target.providerId
					});
				}
				if (finish) providers.reportSuccess(target.providerId);
				break;
			} catch (caught) {
				const error = toProviderError(caught, target.providerId, signal);
				const next = spec.candidates[i + 1];
				if (error.code !== 'aborted') providers.reportFailure(target.providerId, error);
				if (!text && error.retryable && !signal.aborted && next) {
					failedAttempts.push(
						this.usageRow(spec, target, {
							inputTokens: 0,
							outputTokens: 0,
							estimated: false,
							costUsd: computeCost(target.model, 0, 0),
							latencyMs: Math.round(performance.now() - attemptStarted),
							ttftMs: null,
							status: 'error',
							errorCode: error.code
						})
					);
					genLog.append({
						type: 'fallback',
						from: { providerId: target.providerId, modelId: target.model.modelId },
						to: { providerId: next.providerId, modelId: next.model.modelId },
						reason: error.code
					});
					continue;
				}
				if (!signal.aborted) failure = error;
				break;
			}
		}

		const stopped = signal.aborted && !finish;
		const usage: Usage = finish && !stopped ? finish.usage : estimateUsage(spec.request, text);
		const costUsd = computeCost(answered.model, usage.inputTokens, usage.outputTokens);
		const status: GenerationOutcome['status'] = stopped ? 'stopped' : failure ? 'error' : 'complete';
		const finishReason: FinishReason = stopped ? 'aborted' : failure ? 'error' : finish!.finishReason;
		const outcome: GenerationOutcome = {
			text,
			providerId: answered.providerId,
			modelId: answered.model.modelId,
			status,
			finishReason,
			usage: { ...usage, costUsd },
			error: failure
		};
		const finalRow = this.usageRow(spec, answered, {
			...usage,
			costUsd,
			latencyMs: Math.round(performance.now() - started),
			ttftMs,
			status: status === 'complete' ? 'ok' : status,
			errorCode: failure?.code ?? (stopped ? 'aborted' : null)
		});
		await flusher?.stop();
		await this.persist(spec, outcome, [...failedAttempts, finalRow]);
		genLog.append(terminalEvent(outcome));
		return outcome;
	}

	private flusherFor(messageId: string): PartialFlusher {
		return new PartialFlusher(
			(content) => saveStreamingContent(this.deps.db, messageId, content),
			this.deps.settings.flushIntervalMs,
			(error) => log.warn('could not save partial answer', { messageId, error: describeError(error) })
		);
	}

	private usageRow(
		spec: GenerationSpec,
		target: ResolvedModel,
		figures: Omit<NewUsage, 'userId' | 'chatId' | 'messageId' | 'providerId' | 'modelId' | 'costUsd'> & {
			costUsd: number | null;
		}
	): NewUsage {
		return {
			...figures,
			costUsd: figures.costUsd === null ? null : String(figures.costUsd),
			userId: spec.userId,
			chatId: spec.chatId,
			messageId: spec.messageId,
			providerId: target.providerId,
			modelId: target.model.modelId,
			source: spec.source ?? 'app'
		};
	}

	/** The answer and every attempt's usage row, written together. */
	private async persist(
		spec: GenerationSpec,
		outcome: GenerationOutcome,
		usageRows: NewUsage[]
	): Promise<void> {
		const messageCost = usageRows.reduce<number | null>(
			(sum, row) =>
				addCosts(sum, row.costUsd === null || row.costUsd === undefined ? null : Number(row.costUsd)),
			0
		);
		const error: MessageError | null = outcome.error
			? {
					code: outcome.error.code,
					message: outcome.error.message,
					...(outcome.error.retryAfterMs !== undefined ? { retryAfterMs: outcome.error.retryAfterMs } : {})
				}
			: null;
		try {
			await this.deps.db.transaction(async (tx) => {
				if (spec.messageId) {
					await finalizeMessage(tx, spec.messageId, {
						content: outcome.text,
						status: outcome.status,
						providerId: outcome.providerId,
						modelId: outcome.modelId,
						finishReason: outcome.finishReason,
						error,
						inputTokens: outcome.usage.inputTokens,
						outputTokens: outcome.usage.outputTokens,
						costUsd: messageCost === null ? null : String(messageCost),
						usageEstimated: outcome.usage.estimated
					});
				}
				await insertUsage(tx, usageRows);
			});
		} catch (caught) {
			// The stream still ends for its watchers; the restart recovery settles the message.
			log.error('could not save a finished generation', { id: spec.id, error: describeError(caught) });
		}
	}
}

function toProviderError(caught: unknown, providerId: string, signal: AbortSignal): ProviderError {
	if (caught instanceof ProviderError) return caught;
	if (signal.aborted)
		return new ProviderError({ code: 'aborted', message: 'Stopped.', providerId, cause: caught });
	return new ProviderError({
		code: 'unknown',
		message: 'The provider call failed unexpectedly.',
		providerId,
		cause: caught
	});
}

function terminalEvent(outcome: GenerationOutcome): StreamEvent {
	if (outcome.status === 'error' && outcome.error) {
		return {
			type: 'error',
			error: {
				code: outcome.error.code,
				message: outcome.error.message,
				retryable: outcome.error.retryable,
				providerId: outcome.error.providerId,
				retryAfterMs: outcome.error.retryAfterMs ?? null
			}
		};
	}
	return { type: 'done', finishReason: outcome.finishReason, usage: outcome.usage };
}
