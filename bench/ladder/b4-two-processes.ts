import { spawn } from 'node:child_process';
import { createTrpcClient } from '../../src/lib/sdk/client';
import { signUpWithToken } from '../lib/accounts';
import { PACED_MODEL, type Pacing } from '../lib/emulator-control';
import { cpuBetween, readCpu, type CpuSplit } from '../lib/cpu-split';
import { freePort } from '../lib/processes';
import { summarize, type Summary } from '../stats';
import { startApp, type RunningApp } from './app-process';

/*
 * B4: two app processes on one Postgres and one Redis, behind one load generator. Each simulated
 * user sends to one process (alternating) and watches the answer on the other process for half of
 * the turns. Reported: turns per second against one process under the same load, and the delay a
 * watcher on the other process adds over a watcher on the sender's process (per delta, same stream).
 */

export type TwoProcessFigures = {
	streams: number;
	durationS: number;
	one: PhaseFigures;
	two: PhaseFigures;
	/** Turns per second, two processes over one. */
	ratio: number | null;
	/** Per delta, ms: arrival at the other process's watcher minus at the sender's process's watcher. */
	addedDelay: Summary | null;
	delaySamples: number;
	/**
	 * The same delay with the machine not saturated: LIGHT_USERS users, every cross-process turn
	 * watched on both processes. Under the back-to-back phase the figure is mostly queueing for CPU.
	 */
	light: { users: number; addedDelay: Summary | null; delaySamples: number; failed: number };
};

type PhaseFigures = {
	turns: number;
	failed: number;
	turnsPerS: number;
	errors: string[];
	/** CPU by process over the phase: who used the cores. */
	cpu: CpuSplit;
};
type Client = ReturnType<typeof createTrpcClient>;
type User = { clients: Client[]; chatIds: string[] };

const PASSWORD = 'bench password 0123456789';
// Of the users' cross-process turns, those of one user group in REFERENCE_EVERY also get a watcher
// on the sender's process, the reference the added delay is measured against.
const REFERENCE_EVERY = 4;
// Users of the light phase: a few streams at a time, far from what saturates the two cores.
const LIGHT_USERS = 8;
const LIGHT_SECONDS = 10;

async function startRedis(): Promise<{ url: string; pid: number | undefined; stop(): Promise<void> }> {
	const port = await freePort();
	const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', ''], {
		stdio: 'ignore'
	});
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	const url = `redis://127.0.0.1:${port}`;
	for (let i = 0; ; i++) {
		const up = await fetch(`http://127.0.0.1:${port}`).then(
			() => true,
			// Redis answers HTTP with an error and closes: refused means not up yet.
			(error: { cause?: { code?: string } }) => error.cause?.code !== 'ECONNREFUSED'
		);
		if (up) break;
		if (child.exitCode !== null || i > 100) throw new Error('redis-server did not start (is it installed?)');
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	return {
		url,
		pid: child.pid,
		stop: async () => {
			if (child.exitCode === null) child.kill('SIGTERM');
			await exited;
		}
	};
}

/** Watches one answer to its end; the arrival time of each delta by event id. */
function watch(client: Client, messageId: string): Promise<Map<string, number>> {
	return new Promise((resolve, reject) => {
		const arrivals = new Map<string, number>();
		const subscription = client.chats.stream.subscribe(
			{ messageId },
			{
				onData: ({ id, data }) => {
					if (data.type === 'delta') arrivals.set(id, performance.now());
					if (data.type === 'done' || data.type === 'error') {
						subscription.unsubscribe();
						if (data.type === 'error') reject(new Error(data.error.message));
						else resolve(arrivals);
					}
				},
				onError: (error) => {
					subscription.unsubscribe();
					reject(error);
				}
			}
		);
	});
}

/**
 * Runs every user's turns back to back for `durationS`. With two processes a user sends to one of
 * them and watches on the other every second turn; some of those also watch on the sender's process,
 * and the per-delta difference goes to `delays`.
 */
async function phase(
	users: User[],
	durationS: number,
	processes: number,
	delays: number[],
	pids: Record<string, number | undefined>,
	/** Every cross-process turn also watched on the sender's process (the light phase). */
	referenceAll = false
): Promise<PhaseFigures> {
	const cpuBefore = readCpu(pids);
	const deadline = performance.now() + durationS * 1000;
	const started = performance.now();
	let turns = 0;
	let failed = 0;
	const errors: string[] = [];
	await Promise.all(
		users.map(async (user, u) => {
			for (let t = 0; performance.now() < deadline; t++) {
				const sender = processes === 1 ? 0 : u % 2;
				// Half the users start on the other process and alternate from there: half the turns cross.
				const cross = processes === 2 && (t + Math.floor(u / 2)) % 2 === 1;
				const watcher = cross ? 1 - sender : sender;
				const reference = cross && (referenceAll || Math.floor(u / 4) % REFERENCE_EVERY === 0);
				try {
					const sent = await user.clients[sender].chats.send.mutate({
						chatId: user.chatIds[sender],
						content: `turn ${t}`,
						modelId: PACED_MODEL
					});
					const [seen, same] = await Promise.all([
						watch(user.clients[watcher], sent.assistantMessageId),
						reference ? watch(user.clients[sender], sent.assistantMessageId) : null
					]);
					if (same) for (const [id, at] of seen) if (same.has(id)) delays.push(at - same.get(id)!);
					turns++;
				} catch (error) {
					failed++;
					if (errors.length < 3) errors.push(String(error).slice(0, 200));
					await new Promise((resolve) => setTimeout(resolve, 200));
				}
			}
		})
	);
	const elapsedS = (performance.now() - started) / 1000;
	return { turns, failed, turnsPerS: turns / elapsedS, errors, cpu: cpuBetween(cpuBefore, readCpu(pids)) };
}

async function usersOn(apps: RunningApp[], count: number): Promise<User[]> {
	const users: User[] = [];
	// A few sign-ups at a time: each is a password hash.
	for (let i = 0; i < count; i += 8) {
		const batch = await Promise.all(
			Array.from({ length: Math.min(8, count - i) }, (_, k) =>
				signUpWithToken(apps[0].url, `b4-${i + k}-${Date.now()}@bench.test`, PASSWORD)
			)
		);
		for (const account of batch) {
			const clients = apps.map((app) => createTrpcClient({ url: app.url, token: account.token }));
			const chat = await clients[0].chats.create.mutate({ providerId: 'openai', modelId: PACED_MODEL });
			users.push({ clients, chatIds: apps.map(() => chat.id) });
		}
	}
	return users;
}

export async function twoProcessStep(options: {
	emulatorUrl: string;
	databaseUrl: string;
	streams: number;
	durationS: number;
	pacing: Pacing;
	/** The emulator's process, whose CPU the phases report too. */
	emulatorPid?: number;
	log(line: string): void;
	track(stop: () => Promise<void>): void;
}): Promise<TwoProcessFigures> {
	const { log } = options;
	const redis = await startRedis();
	options.track(() => redis.stop());
	const env = { REDIS_URL: redis.url };
	const start = () =>
		startApp({
			emulatorUrl: options.emulatorUrl,
			database: { kind: 'postgres', url: options.databaseUrl },
			log,
			env
		});
	const a = await start();
	options.track(() => a.stop());
	try {
		const b = await start();
		options.track(() => b.stop());
		try {
			log(`[B4] ${options.streams} users, one account each, on ${a.url} and ${b.url}…`);
			const users = await usersOn([a, b], options.streams);
			const onlyA = users.map((u) => ({ clients: [u.clients[0]], chatIds: [u.chatIds[0]] }));
			const pids = {
				'app A': a.child.process.pid,
				'app B': b.child.process.pid,
				emulator: options.emulatorPid,
				redis: redis.pid
			};
			log(`[B4] one process: ${options.durationS} s of back-to-back turns…`);
			const one = await phase(onlyA, options.durationS, 1, [], pids);
			log(`  ${one.turns} turns, ${one.turnsPerS.toFixed(1)}/s, failed ${one.failed}`);
			const delays: number[] = [];
			log(`[B4] two processes, the watcher on the other one for half the turns…`);
			const two = await phase(users, options.durationS, 2, delays, pids);
			log(`  ${two.turns} turns, ${two.turnsPerS.toFixed(1)}/s, failed ${two.failed}`);
			const addedDelay = delays.length ? summarize(delays) : null;
			if (addedDelay)
				log(`  added cross-process delay p50 ${addedDelay.p50.toFixed(2)} ms over ${delays.length} deltas`);
			const lightDelays: number[] = [];
			const lightUsers = users.slice(0, LIGHT_USERS);
			log(
				`[B4] light load: ${lightUsers.length} users for ${LIGHT_SECONDS} s, every cross turn watched on both…`
			);
			const lightPhase = await phase(lightUsers, LIGHT_SECONDS, 2, lightDelays, pids, true);
			const lightDelay = lightDelays.length ? summarize(lightDelays) : null;
			if (lightDelay)
				log(
					`  added cross-process delay p50 ${lightDelay.p50.toFixed(2)} ms over ${lightDelays.length} deltas`
				);
			return {
				streams: options.streams,
				durationS: options.durationS,
				one,
				two,
				ratio: one.turnsPerS > 0 ? two.turnsPerS / one.turnsPerS : null,
				addedDelay,
				delaySamples: delays.length,
				light: {
					users: lightUsers.length,
					addedDelay: lightDelay,
					delaySamples: lightDelays.length,
					failed: lightPhase.failed
				}
			};
		} finally {
			await b.stop();
		}
	} finally {
		await a.stop();
		await redis.stop();
	}
}
