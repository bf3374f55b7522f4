import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { LadderStep, RelayProcess, StepId, TurnResult } from '../ladder/types';
import {
	addChecks,
	catchUpDeltaCount,
	checkSequence,
	gaps,
	percentile,
	ratio,
	rotate,
	splitCatchUp,
	summarize,
	type SequenceCheck,
	type Summary
} from '../stats';
import { indicesOf } from './emulator-control';
import { countEstablished, readCpuMs, readRssKb, type ProbeStats } from './processes';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The load generator's own event-loop delay: when it is high, the client and not the relay is the limit. */
const clientLoop = monitorEventLoopDelay({ resolution: 10 });
clientLoop.enable();
const clientLoopP99Ms = () => Math.max(0, clientLoop.percentile(99) / 1e6 - 10);

/**
 * Waits until the given processes are (nearly) idle: work left over from the previous phase (saving
 * answers, GC) must not be charged to the next one. Gives up after `maxMs`.
 */
export async function quiesce(pids: number[], maxMs = 5_000): Promise<void> {
	const until = performance.now() + maxMs;
	const total = () => pids.reduce((sum, pid) => sum + readCpuMs(pid), 0);
	let last = total();
	while (performance.now() < until) {
		await sleep(250);
		const now = total();
		// /proc counts 10 ms ticks: one tick in 250 ms across all the processes is idle enough.
		if (now - last <= 10) return;
		last = now;
	}
}

const cpuUs = (stats: ProbeStats) => stats.cpu.user + stats.cpu.system;

/**
 * A forced collection and the RSS once its memory is back with the OS. V8 hands freed pages back on
 * a background thread after the collection has answered (50 MB of them within 50 ms after a
 * 500-stream load), so a reading taken at once sees the memory the collection has just let go of.
 */
export async function collectAndReadRss(pid: number, probe: RelayProcess['probe'], maxMs = 2_000) {
	const stats = await probe('gc');
	const until = performance.now() + maxMs;
	let rssKb = readRssKb(pid);
	for (;;) {
		await sleep(50);
		const next = readRssKb(pid);
		const settled = Math.abs(next - rssKb) < 256;
		rssKb = next;
		if (settled || performance.now() > until) return { rssKb, heapKb: stats.memory.heapUsed / 1024 };
	}
}

/**
 * RSS and JS heap once a process has stopped shedding memory: the app lets go of a few hundred MB
 * of start-up buffers (external memory, PGlite's) some seconds after it is healthy, and a reading
 * taken before that would make every later one look like a drop.
 */
export async function settledMemory(pid: number, probe: RelayProcess['probe'], maxMs = 15_000) {
	const until = performance.now() + maxMs;
	let last = -Infinity;
	for (;;) {
		const reading = await collectAndReadRss(pid, probe);
		if (Math.abs(reading.rssKb - last) < 2048 || performance.now() > until) return reading;
		last = reading.rssKb;
		await sleep(1_000);
	}
}

export type TtftStep = {
	step: StepId;
	ttft: Summary;
	failed: number;
	errors: string[];
	check: SequenceCheck;
	/**
	 * Median CPU the relay process spent on one turn, from the call until its end arrived
	 * (process.cpuUsage() inside it: /proc's 10 ms ticks are too coarse here).
	 */
	relayCpuMsPerTurn: number | null;
	/** What reading the probe around a turn costs the relay by itself (an empty bracket, p50), taken out of the above. */
	probeBracketMs: number | null;
	/** B3: milliseconds from the call until the send answered and until the SSE stream opened. */
	sendMs?: Summary;
	streamOpenMs?: Summary;
};

/**
 * Time to first token at concurrency 1, warm, interleaved: each round runs one turn per step, the
 * order rotating each round, so drift on a shared machine hits every step alike.
 */
export async function runTtft(
	steps: LadderStep[],
	options: { turns: number; warmup: number; model: string; deltas: number; quiet: number[] }
): Promise<TtftStep[]> {
	await quiesce(options.quiet);
	const cpuUsOf = async (step: LadderStep) => (step.relay ? cpuUs(await step.relay.probe('read')) : 0);
	// The two probe reads around a turn cost the relay CPU of their own (the IPC round trips, the
	// histogram's percentiles): measured with nothing between them, and taken out of every turn, so
	// the ratios compare the relays' work, not the probe's constant.
	const bracketUs = new Map<StepId, number>();
	for (const step of steps) {
		if (!step.relay) continue;
		const empty: number[] = [];
		for (let i = 0; i < 60; i++) empty.push(-(await cpuUsOf(step)) + (await cpuUsOf(step)));
		bracketUs.set(step.id, percentile(empty, 50));
	}
	const results = new Map<StepId, TurnResult[]>(steps.map((s) => [s.id, []]));
	const cpuPerTurn = new Map<StepId, number[]>(steps.map((s) => [s.id, []]));
	for (let round = 0; round < options.warmup + options.turns; round++) {
		for (const step of rotate(steps, round)) {
			const [turn] = await step.prepare(1, options.model);
			// Bracketing the turn alone leaves out the untimed preparation (B3 creates a chat per turn).
			const cpuBefore = await cpuUsOf(step);
			const result = await turn();
			const cpuAfter = await cpuUsOf(step);
			if (round < options.warmup) continue;
			results.get(step.id)!.push(result);
			if (step.relay) cpuPerTurn.get(step.id)!.push((cpuAfter - cpuBefore - bracketUs.get(step.id)!) / 1000);
		}
	}
	return steps.map((step) => {
		const turns = results.get(step.id)!;
		const ok = turns.filter((t) => t.ok && t.ttftMs !== null);
		const check = turns
			.map((t) => checkSequence(options.deltas, indicesOf(t.texts)))
			.reduce(addChecks, { lost: 0, reordered: 0, duplicated: 0, unexpected: 0 });
		const breakdowns = ok.map((t) => t.breakdown).filter((b) => b !== undefined);
		return {
			step: step.id,
			ttft: summarize(ok.map((t) => t.ttftMs!)),
			failed: turns.length - ok.length,
			errors: [...new Set(turns.filter((t) => !t.ok).map((t) => t.error ?? 'unknown'))].slice(0, 3),
			check,
			relayCpuMsPerTurn: step.relay ? summarize(cpuPerTurn.get(step.id)!).p50 : null,
			probeBracketMs: step.relay ? bracketUs.get(step.id)! / 1000 : null,
			...(breakdowns.length
				? {
						sendMs: summarize(breakdowns.flatMap((b) => (b.sendMs === null ? [] : [b.sendMs]))),
						streamOpenMs: summarize(
							breakdowns.flatMap((b) => (b.streamOpenMs === null ? [] : [b.streamOpenMs]))
						)
					}
				: {})
		};
	});
}

export type RelayFigures = {
	process: string;
	eld: ProbeStats['eld'];
	cpuMs: number;
	cpuUsPerDelta: number | null;
	/** process.cpuUsage() inside the process, µs resolution, as a cross-check of /proc's 10 ms ticks. */
	probeCpuUsPerDelta: number | null;
	rssIdleKb: number;
	rssPeakKb: number;
	rssPerStreamKb: number;
	connectionsPeak: number;
};

export type StreamsPhase = {
	step: StepId;
	streams: number;
	deltas: number;
	paceMs: number;
	ok: number;
	failed: number;
	errors: string[];
	check: SequenceCheck;
	deltasReceived: number;
	gap: Summary;
	gapP99OverPace: number | null;
	/** Deltas replayed in a burst because they were produced before the stream was open (see splitCatchUp). */
	catchUpDeltas: number;
	/** Gaps once each stream was live. */
	liveGap: Summary;
	liveGapP99OverPace: number | null;
	ttftUnderLoad: Summary;
	wallMs: number;
	clientEldP99Ms: number;
	/** The load generator's CPU per delta received (for B3: the Switchboard SDK, tRPC client, EventSource). */
	clientCpuUsPerDelta: number | null;
	emulatorEldP99Ms: number | null;
	relay: RelayFigures | null;
};

/** `count` paced streams started at once through one step; the relay process is watched throughout. */
export async function runStreams(
	step: LadderStep,
	count: number,
	options: {
		model: string;
		deltas: number;
		paceMs: number;
		emulator: { pid: number; probe(c: 'read' | 'reset'): Promise<ProbeStats> };
		quiet: number[];
	}
): Promise<StreamsPhase> {
	const turns = await step.prepare(count, options.model);
	await quiesce(options.quiet);
	const relay = step.relay;
	let before: { rssKb: number; cpuMs: number; probe: ProbeStats } | null = null;
	if (relay) {
		const { rssKb } = await collectAndReadRss(relay.pid, relay.probe);
		before = { rssKb, cpuMs: readCpuMs(relay.pid), probe: await relay.probe('reset') };
	}
	await options.emulator.probe('reset');
	clientLoop.reset();
	const clientCpuBefore = process.cpuUsage();
	let rssPeakKb = before?.rssKb ?? 0;
	let connectionsPeak = 0;
	const sample = () => {
		if (!relay) return;
		rssPeakKb = Math.max(rssPeakKb, readRssKb(relay.pid));
		connectionsPeak = Math.max(connectionsPeak, countEstablished(relay.port));
	};
	const sampler = setInterval(sample, 50);
	const started = performance.now();
	const results = await Promise.all(turns.map((turn) => turn()));
	const wallMs = performance.now() - started;
	clearInterval(sampler);
	sample();
	const clientEldP99Ms = clientLoopP99Ms();
	const clientCpu = process.cpuUsage(clientCpuBefore);
	const emulatorStats = await options.emulator.probe('read');

	// Deltas, not frames: the app joins the deltas a subscriber is behind on into one frame, and
	// each delta's text carries its index, so what a frame holds is counted from its text.
	const framed = results.map((r) => r.texts.map((text) => indicesOf([text]).length));
	const deltasReceived = framed.flat().reduce((sum, n) => sum + n, 0);
	let relayFigures: RelayFigures | null = null;
	if (relay && before) {
		const after = await relay.probe('read');
		const cpuMs = readCpuMs(relay.pid) - before.cpuMs;
		relayFigures = {
			process: relay.name,
			eld: after.eld,
			cpuMs,
			cpuUsPerDelta: deltasReceived ? (cpuMs * 1000) / deltasReceived : null,
			probeCpuUsPerDelta: deltasReceived ? (cpuUs(after) - cpuUs(before.probe)) / deltasReceived : null,
			rssIdleKb: before.rssKb,
			rssPeakKb,
			rssPerStreamKb: (rssPeakKb - before.rssKb) / count,
			connectionsPeak
		};
	}
	const ok = results.filter((r) => r.ok);
	const allGaps = results.flatMap((r) => gaps(r.deltaAt));
	const gap = summarize(allGaps);
	const splits = results.map((r) => splitCatchUp(r.deltaAt, options.paceMs));
	const liveGap = summarize(splits.flatMap((s) => s.liveGaps));
	return {
		step: step.id,
		streams: count,
		deltas: options.deltas,
		paceMs: options.paceMs,
		ok: ok.length,
		failed: results.length - ok.length,
		errors: [...new Set(results.filter((r) => !r.ok).map((r) => r.error ?? 'unknown'))].slice(0, 3),
		check: results
			.map((r) => checkSequence(options.deltas, indicesOf(r.texts)))
			.reduce(addChecks, { lost: 0, reordered: 0, duplicated: 0, unexpected: 0 }),
		deltasReceived,
		gap,
		gapP99OverPace: ratio(gap.p99, options.paceMs),
		catchUpDeltas: splits.reduce((sum, s, i) => sum + catchUpDeltaCount(framed[i], s.catchUp), 0),
		liveGap,
		liveGapP99OverPace: ratio(liveGap.p99, options.paceMs),
		ttftUnderLoad: summarize(results.flatMap((r) => (r.ttftMs === null ? [] : [r.ttftMs]))),
		wallMs,
		clientEldP99Ms,
		clientCpuUsPerDelta: deltasReceived ? (clientCpu.user + clientCpu.system) / deltasReceived : null,
		emulatorEldP99Ms: emulatorStats.eld.p99Ms,
		relay: relayFigures
	};
}

export type RssTimeline = {
	process: string;
	idleKb: number;
	loadKb: number;
	/** Read once the forced collection's freed pages are back with the OS, as idle is. */
	afterKb: number;
	/** At the same moment, before that collection: what the process held with nothing forcing one. */
	unforcedAfterKb: number;
	/** V8 heap in use after a forced GC: tells the JS heap apart from native and WASM memory. */
	heapIdleKb: number;
	heapAfterKb: number;
	afterSettleS: number;
};
