import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startApp, type AppDatabase, type AppStart } from '../ladder/app-process';
import { fullPathSteps } from '../ladder/b3-full-path';
import type { StatementCount } from '../ladder/db-statements';
import { measurePlumbing, type PlumbingFigure } from '../ladder/plumbing';
import type { LadderStep } from '../ladder/types';
import { rotate } from '../stats';
import {
	PACED_MODEL,
	QUICK_DELTAS,
	QUICK_MODEL,
	scriptEmulator,
	SPARSE_MODEL,
	sparsePacing,
	type Pacing
} from './emulator-control';
import {
	runStreams,
	runTtft,
	collectAndReadRss,
	settledMemory,
	type RssTimeline,
	type StreamsPhase,
	type TtftStep
} from './phases';
import { readRssKb, type Child } from './processes';
import { monotonicUs, summarizeProfileDir, type ProfileReport, type ProfileWindow } from './profile-summary';
import { LOCAL_BENCH_URL, scratchPostgres, type ScratchDatabase } from './scratch-postgres';
import type { BenchSettings, DatabaseKind } from './settings';

export type DatabaseResults = {
	database: DatabaseKind;
	/** Where the data lived, for the report (no password). */
	location: string;
	app: AppStart;
	ttft: TtftStep[];
	plumbing: PlumbingFigure[];
	streams: StreamsPhase[];
	rss: RssTimeline[];
	db: StatementCount[];
	/** Deltas of the paced and of the short answer (for SQL statements per delta). */
	deltas: { paced: number; sparse: number };
	profile: ProfileReport | null;
};

/** What every database's ladder shares: one emulator, and the B0/B1 rungs it is priced against. */
export type SharedLadder = {
	emulator: Child;
	emulatorUrl: string;
	emulatorOrigin: string;
	b0: LadderStep;
	b1: LadderStep;
	settings: BenchSettings;
	log(line: string): void;
	/** Called with each thing to tear down if the run is interrupted. */
	track(stop: () => Promise<void>): void;
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function describeStreams(phase: StreamsPhase): string {
	const relay = phase.relay;
	return (
		`  ok ${phase.ok}/${phase.streams}, lost ${phase.check.lost}, reordered ${phase.check.reordered}, ` +
		`TTFT p50 ${phase.ttftUnderLoad.p50.toFixed(0)} ms, gap p99 ${phase.gap.p99.toFixed(1)} ms` +
		(relay
			? `, ELD p99 ${relay.eld.p99Ms.toFixed(1)} ms, ${relay.cpuUsPerDelta?.toFixed(1)} µs CPU/delta, ${relay.rssPerStreamKb.toFixed(0)} KB/stream`
			: '') +
		(phase.errors.length ? ` · ${phase.errors[0]}` : '')
	);
}

async function openDatabaseFor(
	kind: DatabaseKind
): Promise<{ app: AppDatabase; scratch: ScratchDatabase | null }> {
	if (kind === 'pglite') return { app: { kind }, scratch: null };
	const scratch = await scratchPostgres(process.env.BENCH_DATABASE_URL || LOCAL_BENCH_URL);
	return { app: { kind, url: scratch.url }, scratch };
}

/**
 * One database's ladder: the built app on it (B3, three SDK paths), interleaved with B0 and B1 for
 * time to first token, then per-request plumbing, the paced-stream levels, RSS after the load, and
 * the SQL statements per turn. B0/B1 are measured again here so every ratio comes from one stretch.
 */
export async function runDatabase(kind: DatabaseKind, shared: SharedLadder): Promise<DatabaseResults> {
	const { settings, log, b0, b1, emulator } = shared;
	const pacing: Pacing = { deltas: settings.deltas, paceMs: settings.paceMs };
	const { app: appDatabase, scratch } = await openDatabaseFor(kind);
	if (scratch) {
		shared.track(() => scratch.drop());
		log(`Postgres: ${scratch.description}`);
	}
	const profileDir = settings.profile
		? mkdtempSync(path.join(os.tmpdir(), 'switchboard-profile-'))
		: undefined;
	const app = await startApp({ emulatorUrl: shared.emulatorUrl, database: appDatabase, log, profileDir });
	shared.track(() => app.stop());
	log(
		`[${kind}] app on ${app.url}, healthy after ${(app.start.readyMs / 1000).toFixed(1)} s${app.start.rebuilt ? ' (including the build)' : ''}`
	);
	try {
		const b3 = await fullPathSteps(app, settings.timeoutMs);
		const relays = [b1.relay!, b3.ask.relay!];
		const quiet = [emulator.pid, ...relays.map((r) => r.pid)];
		const windows: ProfileWindow[] = [];
		await scriptEmulator(shared.emulatorOrigin, pacing);

		let windowStart = monotonicUs();
		log(`[${kind}] time to first token, interleaved…`);
		const ttft = await runTtft([b0, b1, b3.ask, b3['ask-new'], b3.completion, b3.compat], {
			turns: settings.turns,
			warmup: settings.warmup,
			model: QUICK_MODEL,
			deltas: QUICK_DELTAS,
			quiet
		});
		for (const t of ttft)
			log(
				`  ${t.step} TTFT p50 ${t.ttft.p50.toFixed(2)} ms, p99 ${t.ttft.p99.toFixed(2)} ms, CPU/turn ${t.relayCpuMsPerTurn?.toFixed(2) ?? '—'} ms, failed ${t.failed}${t.errors.length ? ` (${t.errors[0]})` : ''}`
			);
		windows.push({ name: 'time to first token (all paths)', fromUs: windowStart, toUs: monotonicUs() });

		windowStart = monotonicUs();
		log(`[${kind}] per-request plumbing…`);
		const plumbing = await measurePlumbing(app, settings.requests);
		for (const p of plumbing) log(`  ${p.name}: ${p.cpuMsPerRequest.toFixed(2)} ms CPU/request`);
		windows.push({ name: 'per-request plumbing', fromUs: windowStart, toUs: monotonicUs() });

		// Idle is taken warm (after the first turns), so start-up's own allocations are not the baseline.
		const idle = new Map<string, { rssKb: number; heapKb: number }>();
		for (const relay of relays) idle.set(relay.name, await settledMemory(relay.pid, relay.probe));
		const streams: StreamsPhase[] = [];
		const peak = new Map<string, number>();
		const levels = [...new Set([...settings.concurrency, ...settings.b3Concurrency])].sort((a, b) => a - b);
		for (const [i, level] of levels.entries()) {
			windowStart = monotonicUs();
			for (const step of rotate<LadderStep>([b0, b1, b3.ask], i)) {
				const wanted = step.id === 'B3' ? settings.b3Concurrency : settings.concurrency;
				if (!wanted.includes(level)) continue;
				await scriptEmulator(shared.emulatorOrigin, pacing);
				log(`[${kind}] ${level} paced streams through ${step.label}…`);
				const phase = await runStreams(step, level, { model: PACED_MODEL, ...pacing, emulator, quiet });
				streams.push(phase);
				if (phase.relay)
					peak.set(phase.relay.process, Math.max(peak.get(phase.relay.process) ?? 0, phase.relay.rssPeakKb));
				log(describeStreams(phase));
				if (phase.failed && step.diagnostics)
					log(`  ${step.label} said:\n${step.diagnostics().slice(-1500)}`);
			}
			windows.push({
				name: `${level} paced streams (B0 and B1 phases included)`,
				fromUs: windowStart,
				toUs: monotonicUs()
			});
		}

		log(`[${kind}] letting the relays settle for ${settings.settleS} s…`);
		await sleep(settings.settleS * 1000);
		const rss: RssTimeline[] = [];
		for (const relay of relays) {
			const unforcedKb = readRssKb(relay.pid);
			const after = await collectAndReadRss(relay.pid, relay.probe);
			const before = idle.get(relay.name)!;
			rss.push({
				process: relay.name === 'app' ? 'B3 app' : 'B1 proxy',
				idleKb: before.rssKb,
				loadKb: peak.get(relay.name) ?? before.rssKb,
				unforcedAfterKb: unforcedKb,
				afterKb: after.rssKb,
				heapIdleKb: before.heapKb,
				heapAfterKb: after.heapKb,
				afterSettleS: settings.settleS
			});
		}
		await app.stop();
		const profile = profileDir ? summarizeProfileDir(profileDir, windows) : null;
		if (profile) log(`[${kind}] app CPU profile: ${profile.files.join(', ')}`);

		log(
			`[${kind}] SQL statements per turn (in-process app on ${kind === 'pglite' ? 'PGlite in memory' : 'the scratch database'})…`
		);
		await scriptEmulator(shared.emulatorOrigin, pacing);
		const { countTurnStatements } = await import('../ladder/db-statements');
		const db = await countTurnStatements({
			emulatorUrl: shared.emulatorUrl,
			databaseUrl: appDatabase.kind === 'postgres' ? appDatabase.url : undefined,
			quickModel: QUICK_MODEL,
			pacedModel: PACED_MODEL,
			pacedDescription: `${settings.deltas} deltas at ${settings.paceMs} ms`,
			sparseModel: SPARSE_MODEL,
			sparseDescription: `${sparsePacing(pacing).deltas} deltas at ${sparsePacing(pacing).paceMs} ms`
		});
		return {
			database: kind,
			location: scratch ? scratch.description : 'PGlite on disk in a fresh temporary DATA_DIR',
			app: app.start,
			ttft,
			plumbing,
			streams,
			rss,
			db,
			deltas: { paced: settings.deltas, sparse: sparsePacing(pacing).deltas },
			profile
		};
	} finally {
		await app.stop();
		await scratch?.drop();
	}
}
