import type { CompletionInput } from '$lib/schemas/completions';
import type { ErrorEvent, StreamEvent } from '$lib/schemas/stream-events';
import type { UsageSource } from '$lib/schemas/usage';
import type { App } from '../app';
import type { Caller } from '../auth/caller';
import { CompatError, providerCompatError } from './compat-error';
import type { ModelRef } from './resolve-model';

type Delta = Extract<StreamEvent, { type: 'delta' }>;
type Done = Extract<StreamEvent, { type: 'done' }>;
/** What a compatible API streams once the first token is in: text, then the end. */
export type AnswerEvent = Delta | Done | ErrorEvent;

export type CompatRun = {
	/** Who is answering: the requested model, or the one a fallback moved to before the first token. */
	answeredBy: ModelRef;
	/** Set when the requested provider failed before the first token and another took over. */
	fallbackFrom: ModelRef | null;
	/** The first delta (or the end, for an empty answer), then the rest until `done` or `error`. */
	events: AsyncGenerator<AnswerEvent>;
	/** Stops the generation; what streamed is saved as `stopped`. */
	stop(): Promise<void>;
};

/**
 * Starts a generation through the same service the tRPC API uses and waits for its first token, so
 * a failure before any text (after fallback) can still be answered with an HTTP status. The
 * generation stops when `signal` aborts (the client went away).
 */
export async function startCompatRun(
	app: App,
	caller: Caller,
	input: CompletionInput,
	source: UsageSource,
	signal: AbortSignal
): Promise<CompatRun> {
	const { generationId } = await app.completions.start(caller, input, { source });
	const log = app.generations.logs.get(generationId);
	if (!log) throw new Error('A started generation has no event log');
	const stop = async () => {
		await app.generations.stop(generationId, caller.userId);
	};
	if (signal.aborted) await stop();
	else signal.addEventListener('abort', () => void stop(), { once: true });

	// Read by hand: a `for await` that breaks would close the reader before the rest is read.
	const reader = log.read(0, signal);
	let answeredBy: ModelRef | null = null;
	let fallbackFrom: ModelRef | null = null;
	let first: AnswerEvent | null = null;
	for (let next = await reader.next(); !next.done; next = await reader.next()) {
		const event = next.value.event;
		if (event.type === 'start') {
			answeredBy = { providerId: event.providerId, modelId: event.modelId };
		} else if (event.type === 'fallback') {
			fallbackFrom ??= event.from;
			answeredBy = event.to;
		} else {
			first = event;
			break;
		}
	}
	if (!first || !answeredBy) {
		throw new CompatError('upstream', 'The answer ended before it started.', { providerCode: 'aborted' });
	}
	if (first.type === 'error') throw providerCompatError(first.error);
	const head = first;
	async function* events(): AsyncGenerator<AnswerEvent> {
		yield head;
		if (head.type !== 'delta') return;
		for (let next = await reader.next(); !next.done; next = await reader.next()) {
			const event = next.value.event;
			if (event.type === 'delta' || event.type === 'done' || event.type === 'error') yield event;
		}
	}
	return { answeredBy, fallbackFrom, events: events(), stop };
}

export type CollectedAnswer = {
	text: string;
	finishReason: Done['finishReason'];
	usage: Done['usage'];
};

/** Reads a run to its end, for non-streamed answers; a provider failure throws. */
export async function collectAnswer(run: CompatRun): Promise<CollectedAnswer> {
	let text = '';
	for await (const event of run.events) {
		if (event.type === 'delta') text += event.text;
		else if (event.type === 'error') throw providerCompatError(event.error);
		else return { text, finishReason: event.finishReason, usage: event.usage };
	}
	throw new CompatError('upstream', 'The answer was stopped before it finished.', {
		providerCode: 'aborted'
	});
}

/** The header that tells a client a fallback answered: `from-provider/model`. */
export function fallbackHeaders(run: CompatRun): Record<string, string> {
	if (!run.fallbackFrom) return {};
	return { 'x-switchboard-fallback-from': `${run.fallbackFrom.providerId}/${run.fallbackFrom.modelId}` };
}
