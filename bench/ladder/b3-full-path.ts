import {
	createSwitchboardClient,
	type FetchFunction,
	type GenerationRun,
	type SwitchboardClient
} from '../../src/lib/sdk/index';
import { signUpWithToken, type Account } from '../lib/accounts';
import type { RunningApp } from './app-process';
import { openaiClient, openaiTurn } from './openai-turn';
import { describe, startRecording, type LadderStep, type StepId, type Turn } from './types';

/** The app's per-user cap on concurrent generations (createApp: maxConcurrentPerUser). */
const STREAMS_PER_USER = 3;
/** Single turns per user before moving on to the next: the app allows 60 generations a minute per user. */
const TURNS_PER_USER = 50;
const PASSWORD = 'bench password 0123456789';

/** Where one B3 turn's time went, filled in by the client's fetch (streamOpenMs: a resumed watch). */
type Trace = { startedAt: number; sendMs: number | null; streamOpenMs: number | null };
type Tracker = { current: Trace | null };
type Lane = { account: Account; client: SwitchboardClient; tracker: Tracker };

/** The SDK paths people call, each one rung of B3. */
export type SdkPath = 'ask' | 'ask-new' | 'completion';

const paths: Record<SdkPath, { id: StepId; label: string }> = {
	ask: { id: 'B3', label: 'B3 ask() in a chat' },
	'ask-new': { id: 'B3 one-shot', label: 'B3 one-shot ask()' },
	completion: { id: 'B3 completion', label: 'B3 streamCompletion()' }
};

/** The compatible door priced as its own rung: the official OpenAI SDK, pointed at the app. */
export const compatLabel = 'B5 OpenAI SDK → /v1/chat/completions';

/**
 * The request that starts the generation and streams it (its response begins once the turn is
 * saved), and the subscription a run watches the rest on should that response break.
 */
const SEND = /chats\.sendAndWatch|completions\.startAndWatch/;
const STREAM = /chats\.stream|completions\.stream/;

function laneFor(url: string, account: Account): Lane {
	const tracker: Tracker = { current: null };
	const timedFetch: FetchFunction = async (input, init) => {
		const current = tracker.current;
		const target = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
		const response = await fetch(input, init);
		if (current) {
			const at = performance.now() - current.startedAt;
			if (SEND.test(target)) current.sendMs ??= at;
			else if (STREAM.test(target)) current.streamOpenMs ??= at;
		}
		return response;
	};
	return {
		account,
		tracker,
		client: createSwitchboardClient({ url, token: account.token, fetch: timedFetch })
	};
}

type Run = GenerationRun<unknown>;

/** Consumes one SDK run into a TurnResult, with a deadline (stop() ends the generation on the server). */
function sdkTurn(lane: Lane, start: () => Run, timeoutMs: number, track: boolean): Turn {
	return async () => {
		const recording = startRecording();
		const trace: Trace = { startedAt: recording.result.startedAt, sendMs: null, streamOpenMs: null };
		if (track) lane.tracker.current = trace;
		const run = start();
		let timedOut = false;
		const timer = setTimeout(() => {
			timedOut = true;
			void run.stop().catch(() => {});
		}, timeoutMs);
		try {
			for await (const event of run) {
				if (event.type === 'delta') recording.delta(event.text);
				else if (event.type === 'error') throw new Error(`${event.error.code}: ${event.error.message}`);
			}
			if (timedOut) throw new Error(`no end within ${timeoutMs} ms`);
			return recording.done();
		} catch (error) {
			return recording.fail(error);
		} finally {
			clearTimeout(timer);
			if (track) {
				lane.tracker.current = null;
				recording.result.breakdown = { sendMs: trace.sendMs, streamOpenMs: trace.streamOpenMs };
			}
		}
	};
}

/**
 * B3: the full path through the BUILT app, as the SDK uses it with a bearer token, one rung per SDK
 * path: `ask()` in an existing chat (`chats.sendAndWatch`, the send and its answer's events in one
 * response; the chat is created untimed, fresh for every turn so the prompt stays the same size),
 * one-shot `ask()` (the SDK creates the chat too, timed), and stateless `streamCompletion()`
 * (`completions.startAndWatch`). All share the app's accounts,
 * and so does B5 (`compat`): the OpenAI SDK streaming from `/v1/chat/completions` with an API token.
 */
export async function fullPathSteps(
	app: RunningApp,
	timeoutMs: number
): Promise<Record<SdkPath | 'compat', LadderStep>> {
	const { url } = app;
	const members: Lane[] = [];
	const singles: Lane[] = [laneFor(url, await signUpWithToken(url, 'admin@bench.test', PASSWORD))];
	let singleTurns = 0;

	async function singleLane(): Promise<Lane> {
		const index = Math.floor(singleTurns++ / TURNS_PER_USER);
		while (singles.length <= index) {
			singles.push(laneFor(url, await signUpWithToken(url, `single${singles.length}@bench.test`, PASSWORD)));
		}
		return singles[index];
	}

	/** Members for concurrent streams: the per-user cap allows three generations each. */
	async function ensureMembers(count: number): Promise<Lane[]> {
		while (members.length < count) {
			const batch = Array.from({ length: Math.min(4, count - members.length) }, (_, i) =>
				signUpWithToken(url, `member${members.length + i}@bench.test`, PASSWORD)
			);
			for (const account of await Promise.all(batch)) members.push(laneFor(url, account));
		}
		return members.slice(0, count);
	}

	async function lanesFor(count: number): Promise<Lane[]> {
		if (count === 1) return [await singleLane()];
		const lanes = await ensureMembers(Math.ceil(count / STREAMS_PER_USER));
		return Array.from({ length: count }, (_, i) => lanes[Math.floor(i / STREAMS_PER_USER)]);
	}

	const options = { reconnectTimeoutMs: timeoutMs };
	const starters: Record<SdkPath, (lanes: Lane[], model: string) => Promise<((lane: Lane) => Run)[]>> = {
		async ask(lanes, model) {
			const chatIds: string[] = [];
			// 25 at a time: chat creation is untimed set-up and must not queue hundreds of requests at once.
			for (let i = 0; i < lanes.length; i += 25) {
				const created = await Promise.all(
					lanes.slice(i, i + 25).map((lane) =>
						lane.client.chats.create
							.mutate({ providerId: 'openai', modelId: model, title: 'bench' })
							.catch((error: unknown) => {
								throw new Error(`could not create a chat: ${describe(error)}`);
							})
					)
				);
				chatIds.push(...created.map((c) => c.id));
			}
			return chatIds.map((chatId) => (lane) => lane.client.ask({ chatId, content: 'bench' }, options));
		},
		async 'ask-new'(lanes, model) {
			return lanes.map(
				() => (lane) =>
					lane.client.ask({ providerId: 'openai', modelId: model, title: 'bench', content: 'bench' }, options)
			);
		},
		async completion(lanes, model) {
			return lanes.map(
				() => (lane) =>
					lane.client.streamCompletion(
						{ providerId: 'openai', modelId: model, messages: [{ role: 'user', content: 'bench' }] },
						options
					)
			);
		}
	};

	const step = (path: SdkPath): LadderStep => ({
		...paths[path],
		relay: { name: 'app', pid: app.child.pid, port: app.port, probe: app.child.probe },
		diagnostics: () => app.child.output(),
		async prepare(count, model) {
			const lanes = await lanesFor(count);
			const starts = await starters[path](lanes, model);
			return lanes.map((lane, i) => sdkTurn(lane, () => starts[i](lane), timeoutMs, count === 1));
		},
		close: async () => {}
	});
	const compat: LadderStep = {
		id: 'B5',
		label: compatLabel,
		relay: step('ask').relay,
		diagnostics: () => app.child.output(),
		async prepare(count, model) {
			const lanes = await lanesFor(count);
			// One client per account, as a script holding one key would keep it.
			const clients = new Map(lanes.map((l) => [l, openaiClient(`${url}/v1`, l.account.token)]));
			return lanes.map((lane) => openaiTurn(clients.get(lane)!, `openai/${model}`, timeoutMs));
		},
		close: async () => {}
	};
	return { ask: step('ask'), 'ask-new': step('ask-new'), completion: step('completion'), compat };
}
