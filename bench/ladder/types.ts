import type { ProbeStats } from '../lib/processes';

/** One streamed answer as the load generator saw it. Times are performance.now() in ms. */
export type TurnResult = {
	ok: boolean;
	error?: string;
	startedAt: number;
	/** From the call to the first non-empty text delta. */
	ttftMs: number | null;
	/** Arrival time of each text delta, in order. */
	deltaAt: number[];
	texts: string[];
	/** B3 only: where the time to the first token went (ms from the start). */
	breakdown?: { sendMs: number | null; streamOpenMs: number | null };
};

/** A prepared turn (chat created, client ready): calling it is the measured part. */
export type Turn = () => Promise<TurnResult>;

/** The process that relays, for event-loop delay, CPU and RSS. B0 has none (client → emulator). */
export type RelayProcess = {
	name: string;
	pid: number;
	port: number;
	probe(command: 'read' | 'reset' | 'gc'): Promise<ProbeStats>;
};

/**
 * The rungs: B0 direct SDK → emulator, B1 raw pipe, B3 the built app through each SDK path, B5 the
 * OpenAI SDK against the app's /v1/chat/completions. A new rung (B4 two app processes) adds its id
 * here and a LadderStep.
 */
export type StepId = 'B0' | 'B1' | 'B3' | 'B3 one-shot' | 'B3 completion' | 'B5';

/** One rung of the ladder. */
export type LadderStep = {
	id: StepId;
	label: string;
	relay: RelayProcess | null;
	/** Makes `count` turns ready to run at once (untimed: chats, users, tokens). */
	prepare(count: number, model: string): Promise<Turn[]>;
	/** The relay's recent output, shown when turns fail. */
	diagnostics?: () => string;
	close(): Promise<void>;
};

export type Recorder = {
	delta(text: string): void;
	done(): TurnResult;
	fail(error: unknown): TurnResult;
	readonly result: TurnResult;
};

/** Collects one turn's deltas with their arrival times. */
export function startRecording(): Recorder {
	const result: TurnResult = {
		ok: false,
		startedAt: performance.now(),
		ttftMs: null,
		deltaAt: [],
		texts: []
	};
	return {
		result,
		delta(text) {
			const now = performance.now();
			result.ttftMs ??= now - result.startedAt;
			result.deltaAt.push(now);
			result.texts.push(text);
		},
		done() {
			result.ok = true;
			return result;
		},
		fail(error) {
			result.ok = false;
			result.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
			return result;
		}
	};
}

export function describe(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
