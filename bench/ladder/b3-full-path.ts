import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSwitchboardClient, type FetchFunction, type SwitchboardClient } from '../../src/lib/sdk/index';
import { signUpWithToken, type Account } from '../lib/accounts';
import { freePort, repoRoot, spawnChild, type Child } from '../lib/processes';
import { describe, startRecording, type LadderStep, type Turn } from './types';

/** The app's per-user cap on concurrent generations (createApp: maxConcurrentPerUser). */
const STREAMS_PER_USER = 3;
/** Single turns per user before moving on to the next: the app allows 60 generations a minute per user. */
const TURNS_PER_USER = 50;
const PASSWORD = 'bench password 0123456789';

/** Where one B3 turn's time went, filled in by the client's fetch. */
type Tracker = { current: { startedAt: number; sendMs: number | null; streamOpenMs: number | null } | null };

type Lane = { account: Account; client: SwitchboardClient; tracker: Tracker };

export type AppStart = { rebuilt: boolean; readyMs: number };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The checkout is shared: someone else's `npm start` or e2e run may rebuild build/ while ours boots, and
 * SvelteKit imports route chunks lazily, so the first request then finds its chunk gone. That start is
 * thrown away and retried once build/ has stopped changing; once warm, a running app no longer reads build/.
 */
function lostItsBuild(output: string): boolean {
	return output.includes('ERR_MODULE_NOT_FOUND') && output.includes('/build/');
}

async function waitForStableBuild(): Promise<void> {
	const stamp = path.join(repoRoot, 'build/index.js');
	let last = '';
	for (let i = 0; i < 300; i++) {
		const now = existsSync(stamp) ? String(statSync(stamp).mtimeMs) : 'missing';
		if (now === last) return;
		last = now;
		await sleep(2_000);
	}
}

/** Starts `node scripts/start.mjs` (which builds first when build/ is missing or stale) and waits for /healthz. */
async function startOnce(
	env: NodeJS.ProcessEnv,
	url: string,
	log: (line: string) => void,
	profileDir?: string
) {
	const started = performance.now();
	// --expose-gc lets the probe settle the heap before "idle" and "after" readings; the app never calls gc.
	const execArgv = ['--expose-gc', ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])];
	const child = spawnChild('app', path.join(repoRoot, 'scripts/start.mjs'), { env, execArgv });
	let announced = false;
	for (;;) {
		if (child.process.exitCode !== null) {
			return { ok: false as const, child, retry: lostItsBuild(child.output()), output: child.output() };
		}
		if (!announced && child.output().includes('Building')) {
			announced = true;
			log('building the app (build/ is missing or older than the sources)…');
		}
		const status = await fetch(`${url}/healthz`).then(
			(r) => r.status,
			() => 0
		);
		if (status === 200)
			return {
				ok: true as const,
				child,
				start: { rebuilt: announced, readyMs: performance.now() - started }
			};
		if (lostItsBuild(child.output()))
			return { ok: false as const, child, retry: true, output: child.output() };
		if (performance.now() - started > 300_000)
			return { ok: false as const, child, retry: false, output: child.output() };
		await sleep(200);
	}
}

async function startApp(emulatorUrl: string, log: (line: string) => void, profileDir?: string) {
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const dataDir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-bench-'));
	const env: NodeJS.ProcessEnv = {
		...process.env,
		NODE_ENV: 'production',
		PORT: String(port),
		HOST: '127.0.0.1',
		ORIGIN: url,
		DATA_DIR: dataDir,
		LOG_LEVEL: 'warn',
		OPENAI_BASE_URL: emulatorUrl,
		OPENAI_API_KEY: 'sk-bench-0000000000000000',
		DEFAULT_PROVIDER: 'openai'
	};
	// Embedded PGlite in a fresh directory, and no other provider configured from the shell.
	for (const name of ['DATABASE_URL', 'ANTHROPIC_API_KEY', 'ANTHROPIC_BASE_URL', 'OLLAMA_HOST', 'SECRET_KEY'])
		delete env[name];
	for (let attempt = 1; ; attempt++) {
		const result = await startOnce(env, url, log, profileDir);
		if (result.ok) return { child: result.child, url, port, dataDir, start: result.start };
		await result.child.stop();
		if (!result.retry || attempt >= 3) {
			rmSync(dataDir, { recursive: true, force: true });
			throw new Error(`the app did not become healthy:\n${result.output.slice(-3000)}`);
		}
		log('build/ changed under the starting app (another build in this checkout); starting again…');
		await waitForStableBuild();
		rmSync(dataDir, { recursive: true, force: true });
		mkdirSync(dataDir, { recursive: true });
	}
}

function laneFor(url: string, account: Account): Lane {
	const tracker: Tracker = { current: null };
	// Times the two requests a turn makes (send, then the SSE subscription) against the turn's start.
	const timedFetch: FetchFunction = async (input, init) => {
		const current = tracker.current;
		const target = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
		const response = await fetch(input, init);
		if (current) {
			const at = performance.now() - current.startedAt;
			if (target.includes('chats.send')) current.sendMs ??= at;
			else if (target.includes('chats.stream')) current.streamOpenMs ??= at;
		}
		return response;
	};
	return {
		account,
		tracker,
		client: createSwitchboardClient({ url, token: account.token, fetch: timedFetch })
	};
}

function sdkTurn(lane: Lane, chatId: string, timeoutMs: number, track: boolean): Turn {
	return async () => {
		const recording = startRecording();
		const trace = { startedAt: recording.result.startedAt, sendMs: null, streamOpenMs: null };
		if (track) lane.tracker.current = trace;
		const run = lane.client.ask({ chatId, content: 'bench' }, { reconnectTimeoutMs: timeoutMs });
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
 * B3: the full path through the BUILT app (adapter-node), as the SDK uses it: a bearer token, the
 * `chats.send` mutation, then the `chats.stream` SSE subscription until `done`. Every turn gets a
 * fresh chat (created untimed), so the history and the prompt stay the same size.
 */
export async function fullPathStep(options: {
	emulatorUrl: string;
	timeoutMs: number;
	log(line: string): void;
	/** Write a V8 CPU profile of the app here when it stops (--profile). */
	profileDir?: string;
}): Promise<LadderStep & { child: Child; url: string; start: AppStart }> {
	const { child, url, port, dataDir, start } = await startApp(
		options.emulatorUrl,
		options.log,
		options.profileDir
	);
	const admin = laneFor(url, await signUpWithToken(url, 'admin@bench.test', PASSWORD));
	const members: Lane[] = [];
	const singles: Lane[] = [admin];
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

	return {
		id: 'B3',
		label: 'B3 full path',
		child,
		url,
		start,
		relay: { name: 'app', pid: child.pid, port, probe: child.probe },
		diagnostics: () => child.output(),
		async prepare(count, model) {
			const lanes =
				count === 1 ? [await singleLane()] : await ensureMembers(Math.ceil(count / STREAMS_PER_USER));
			const turns: Turn[] = [];
			for (let i = 0; i < count; i += 25) {
				const slice = Array.from(
					{ length: Math.min(25, count - i) },
					(_, j) => lanes[Math.floor((i + j) / STREAMS_PER_USER)]
				);
				const chats = await Promise.all(
					slice.map((lane) =>
						lane.client.chats.create
							.mutate({ providerId: 'openai', modelId: model, title: 'bench' })
							.catch((error: unknown) => {
								throw new Error(`could not create a chat: ${describe(error)}`);
							})
					)
				);
				chats.forEach((chat, j) => turns.push(sdkTurn(slice[j], chat.id, options.timeoutMs, count === 1)));
			}
			return turns;
		},
		async close() {
			await child.stop();
			rmSync(dataDir, { recursive: true, force: true });
		}
	};
}
