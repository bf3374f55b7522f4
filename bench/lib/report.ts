import type { TwoProcessFigures } from '../ladder/b4-two-processes';
import type { StatementCount } from '../ladder/db-statements';
import type { PlumbingFigure } from '../ladder/plumbing';
import { compatLabel } from '../ladder/b3-full-path';
import type { StepId } from '../ladder/types';
import { difference, formatNumber, formatRatio, formatSigned, ratio } from '../stats';
import type { DatabaseResults } from './database-run';
import { evaluateGoals, type GoalRow } from './goals';
import type { RssTimeline, StreamsPhase, TtftStep } from './phases';
import type { ProfileReport } from './profile-summary';
import type { BenchSettings } from './settings';

export type BenchResults = {
	meta: {
		date: string;
		node: string;
		cpus: number;
		commit: string;
		dirty: boolean;
		command: string;
		durationS: number;
		/** 1-minute load average at the start and at the end: other work on the machine shows here. */
		loadAverage: [number, number];
		settings: Omit<BenchSettings, 'out'>;
	};
	databases: DatabaseResults[];
	/** Absent when Postgres was not in the run (several processes need it) or B4 was skipped. */
	b4?: TwoProcessFigures | null;
};

const labels: Record<StepId, string> = {
	B0: 'B0 direct SDK',
	B1: 'B1 raw pipe',
	B3: 'B3 ask() in a chat',
	'B3 one-shot': 'B3 one-shot ask()',
	'B3 completion': 'B3 streamCompletion()',
	B5: compatLabel
};
const databaseNames = { pglite: 'PGlite', postgres: 'Postgres' } as const;
const n = formatNumber;
const mb = (kb: number) => formatNumber(kb / 1024, 1);

function row(cells: (string | number)[]): string {
	return `| ${cells.join(' | ')} |`;
}

function ttftTable(ttft: TtftStep[], turns: number, warmup: number): string[] {
	const b0 = ttft.find((t) => t.step === 'B0');
	const b1 = ttft.find((t) => t.step === 'B1');
	const lines = [
		row([
			'Time to first token, concurrency 1',
			'TTFT p50 (ms)',
			'TTFT p99 (ms)',
			'− B0 p50',
			'− B0 p99',
			'relay CPU per turn, p50 (ms)',
			'÷ B1',
			'failed / lost / reordered'
		]),
		row(['---', '--:', '--:', '--:', '--:', '--:', '--:', '--:']),
		...ttft.map((t) =>
			row([
				labels[t.step],
				n(t.ttft.p50),
				n(t.ttft.p99),
				t.step === 'B0' ? '' : formatSigned(difference(t.ttft.p50, b0?.ttft.p50)),
				t.step === 'B0' ? '' : formatSigned(difference(t.ttft.p99, b0?.ttft.p99)),
				t.relayCpuMsPerTurn == null ? '—' : n(t.relayCpuMsPerTurn),
				t.step.startsWith('B3') || t.step === 'B5'
					? formatRatio(ratio(t.relayCpuMsPerTurn, b1?.relayCpuMsPerTurn))
					: '',
				`${t.failed} / ${t.check.lost} / ${t.check.reordered}`
			])
		)
	];
	const notes = [
		`${turns} turns per step, interleaved (rotating order), after ${warmup} warm-up rounds of every step; ` +
			`p99 of ${turns} samples is close to the max. ` +
			'Relay CPU per turn: process.cpuUsage() inside the relay from the call to the end of the answer, less what ' +
			'reading it costs the relay by itself (two probe reads with nothing between, p50' +
			probeCosts(ttft) +
			').'
	];
	for (const t of ttft) {
		if (!t.sendMs) continue;
		notes.push(
			`${labels[t.step]} p50 breakdown, from the call: the response of the send (\`chats.sendAndWatch\` / ` +
				`\`completions.startAndWatch\`) began at ${n(t.sendMs.p50)} ms (its ids, once the turn is saved), ` +
				`first delta at ${n(t.ttft.p50)} ms` +
				(t.streamOpenMs?.n
					? `; ${t.streamOpenMs.n} turns watched the rest on the SSE subscription (p50 opened at ${n(t.streamOpenMs.p50)} ms).`
					: '.')
		);
	}
	return [...lines, '', ...notes.map((line) => `- ${line}`)];
}

function plumbingTable(plumbing: PlumbingFigure[]): string[] {
	return [
		row([
			'Request (sequential, keep-alive)',
			'requests',
			'failed',
			'app CPU per request (ms)',
			'latency p50 / p99 (ms)'
		]),
		row(['---', '--:', '--:', '--:', '--:']),
		...plumbing.map((p) =>
			row([p.name, p.requests, p.failed, n(p.cpuMsPerRequest), `${n(p.latency.p50)} / ${n(p.latency.p99)}`])
		),
		'',
		'- App CPU: utime+stime of the app process from /proc/<pid>/stat around the batch ÷ requests (10 ms ticks, ' +
			'so ± 10 ms over the batch).'
	];
}

function streamsTables(streams: StreamsPhase[]): string[] {
	const levels = [...new Set(streams.map((s) => s.streams))].sort((a, b) => a - b);
	const ordered = levels.flatMap((level) =>
		streams.filter((s) => s.streams === level).sort((a, b) => a.step.localeCompare(b.step))
	);
	const timing = [
		row([
			'Streams',
			'Step',
			'ok / failed',
			'lost',
			'reordered',
			'TTFT p50 / p99 under load (ms)',
			'gap p50 (ms)',
			'gap p99 (ms)',
			'gap p99 ÷ pace',
			'caught-up deltas',
			'live gap p99 ÷ pace'
		]),
		row(['--:', '---', '--:', '--:', '--:', '--:', '--:', '--:', '--:', '--:', '--:']),
		...ordered.map((p) =>
			row([
				p.streams,
				labels[p.step],
				`${p.ok} / ${p.failed}`,
				p.check.lost,
				p.check.reordered,
				`${n(p.ttftUnderLoad.p50)} / ${n(p.ttftUnderLoad.p99)}`,
				n(p.gap.p50),
				n(p.gap.p99),
				formatRatio(p.gapP99OverPace),
				`${formatNumber((100 * p.catchUpDeltas) / Math.max(1, p.deltasReceived), 0)} %`,
				formatRatio(p.liveGapP99OverPace)
			])
		)
	];
	const cost = [
		row([
			'Streams',
			'Step',
			'relay ELD p99 (ms)',
			'relay CPU µs / delta',
			'÷ B1',
			'relay RSS KB / open stream',
			'÷ B1',
			'peak conns to relay',
			'load-gen CPU µs / delta',
			'load-gen / emulator ELD p99 (ms)'
		]),
		row(['--:', '---', '--:', '--:', '--:', '--:', '--:', '--:', '--:', '--:']),
		...ordered.map((p) => {
			const relay = p.relay;
			const b1 = streams.find((s) => s.streams === p.streams && s.step === 'B1')?.relay;
			const vsB1 = (value: number | null | undefined, base: number | null | undefined) =>
				relay && p.step !== 'B1' ? formatRatio(ratio(value, base)) : '';
			return row([
				p.streams,
				labels[p.step],
				relay ? n(relay.eld.p99Ms) : '—',
				relay ? n(relay.cpuUsPerDelta, 1) : '—',
				vsB1(relay?.cpuUsPerDelta, b1?.cpuUsPerDelta),
				relay ? n(relay.rssPerStreamKb, 0) : '—',
				vsB1(relay?.rssPerStreamKb, b1?.rssPerStreamKb),
				relay ? relay.connectionsPeak : '—',
				n(p.clientCpuUsPerDelta, 1),
				`${n(p.clientEldP99Ms)} / ${n(p.emulatorEldP99Ms)}`
			]);
		})
	];
	return [...timing, '', ...cost];
}

function rssTable(rss: RssTimeline[]): string[] {
	if (rss.length === 0) return [];
	const delta = (after: number, before: number) => formatSigned(after / 1024 - before / 1024, 1);
	return [
		row([
			'Process',
			'idle (MB)',
			'under load, peak (MB)',
			'after, before the forced GC (MB)',
			'after (MB)',
			'after − idle (MB)',
			'JS heap idle → after (MB)'
		]),
		row(['---', '--:', '--:', '--:', '--:', '--:', '--:']),
		...rss.map((r) =>
			row([
				r.process,
				mb(r.idleKb),
				mb(r.loadKb),
				mb(r.unforcedAfterKb),
				mb(r.afterKb),
				delta(r.afterKb, r.idleKb),
				`${mb(r.heapIdleKb)} → ${mb(r.heapAfterKb)}`
			])
		),
		'',
		`- idle: warm (after the TTFT turns), once RSS has stopped falling after start-up (forced GCs a second apart), before the concurrent streams; after: ${rss[0].afterSettleS} s after the last stream ` +
			'ended, then a forced GC, read as idle is: once the pages it freed are back with the OS (V8 returns them on a background ' +
			'thread within some 50 ms of the collection; a reading at once would still count them). "Before the forced GC" is the same ' +
			'moment with nothing forcing a collection: an idle V8 may not collect for a minute or more. The app keeps finished generation logs for 60 s (retainLogMs) for late subscribers, ' +
			"and PGlite's WebAssembly memory can grow but never shrink."
	];
}

/** "select api_tokens ×2, insert messages, …" in first-seen order. */
export function tally(statements: string[]): string {
	const counts = new Map<string, number>();
	for (const s of statements) counts.set(s, (counts.get(s) ?? 0) + 1);
	return [...counts].map(([label, count]) => (count > 1 ? `${label} ×${count}` : label)).join(', ');
}

function profileSection(profile: ProfileReport | null): string[] {
	if (!profile) return [];
	const lines = [
		'### Where the app spends its CPU (--profile)',
		'',
		'A V8 CPU profile of the app (`--cpu-prof`; the profiler adds some overhead of its own), split by layer, ' +
			'flame-graph style by self time: each sample goes to the script of its innermost frame that has one ' +
			'(builtins count for their caller); frames in build/ are resolved through its source maps to SvelteKit or src/.',
		''
	];
	for (const w of profile.windows) {
		lines.push(
			`**${w.name}**: ${n(w.busyMs, 0)} ms of busy samples in ${n(w.windowMs, 0)} ms.`,
			'',
			row(['Layer', 'CPU (ms)', 'share of busy']),
			row(['---', '--:', '--:']),
			...w.shares.map((s) => row([s.layer, n(s.ms, 0), `${formatNumber(100 * s.share, 1)} %`])),
			''
		);
	}
	return lines;
}

function dbTable(db: StatementCount[]): string[] {
	return [
		row(['Turn', 'SQL statements', 'before the first token', 'Which']),
		row(['---', '--:', '--:', '---']),
		...db.map((d) =>
			row([`${d.name}: ${d.description}`, d.count, d.beforeFirstToken ?? '—', tally(d.statements)])
		)
	];
}

/** The goal table, the databases side by side, each figure with its distance from the goal. */
function goalTable(databases: DatabaseResults[]): string[] {
	// `--only=b4` runs no single-process ladder: its goals have nothing to be read against.
	if (databases.length === 0) return ['Single-process ladder not run (`--only=b4`).'];
	const rows = databases.map((d) => evaluateGoals(d));
	const mark = (g: GoalRow | undefined) =>
		!g ? '—' : g.met === null ? g.distance : `${g.met ? '✅' : '❌'} ${g.distance}`;
	const header = [
		'figure',
		'goal for B3',
		...databases.flatMap((d) => [
			`${databaseNames[d.database]}: B1 raw pipe`,
			'B3 Switchboard',
			'distance from goal'
		])
	];
	return [
		row(header),
		row(header.map(() => '---')),
		...rows[0].map((first, i) =>
			row([first.figure, first.goal, ...rows.flatMap((r) => [r[i]?.b1 ?? '—', r[i]?.b3 ?? '—', mark(r[i])])])
		),
		'',
		'- B1 and B3 are from the same run and the same stretch of it (each database runs its own interleaved B0/B1/B3); ' +
			'a goal not met shows how far off it is.'
	];
}

const streamNotes = [
	'- All streams start at once. gap: time between consecutive deltas at the client, all streams pooled. caught-up ' +
		'deltas: delivered back to back right after a stream opened, because they had been produced before anyone was ' +
		'subscribed (B3 replays the generation log from the start); live gap: the gaps after that. ' +
		'ELD: event-loop delay beyond the 10 ms timer (perf_hooks.monitorEventLoopDelay, preloaded into the relay ' +
		'process by bench/ladder/probe.mjs).',
	'- CPU per delta: utime+stime of the relay process (/proc/<pid>/stat) over the phase ÷ deltas delivered; for B3 it ' +
		'includes everything the app does for the turn (auth, send, DB writes, SSE). RSS per open stream: ' +
		'(peak VmRSS during the phase − VmRSS after a forced GC before it) ÷ streams.',
	'- B3 streams go through `ask()` in a chat, three per user (the per-user cap on concurrent generations), one API ' +
		'token per user.'
];

function databaseSection(d: DatabaseResults, settings: BenchResults['meta']['settings']): string[] {
	const name = databaseNames[d.database];
	return [
		`## ${name}`,
		'',
		`Data: ${d.location}. App healthy ${n(d.app.readyMs / 1000, 1)} s after start${d.app.rebuilt ? ' (including a build)' : ''}.`,
		'',
		'### Added time to first token, each SDK path',
		'',
		...ttftTable(d.ttft, settings.turns, settings.warmup),
		'',
		'### Per-request plumbing',
		'',
		...plumbingTable(d.plumbing),
		'',
		`### Concurrent paced streams (${settings.deltas} deltas at ${settings.paceMs} ms)`,
		'',
		...streamsTables(d.streams),
		'',
		...streamNotes,
		'',
		'### RSS idle → load → after',
		'',
		...rssTable(d.rss),
		'',
		...profileSection(d.profile),
		'### SQL statements per turn',
		'',
		...dbTable(d.db),
		''
	];
}

/**
 * CPU by process per phase (/proc, 10 ms ticks): cores used (CPU s ÷ wall s) and ms per turn. On a
 * machine with 2 cores, two app processes can only gain where one left a core idle.
 */
function cpuTable(b4: TwoProcessFigures): string[] {
	const phases = [
		['one process', b4.one],
		['two processes', b4.two]
	] as const;
	if (!phases.every(([, p]) => p.cpu)) return [];
	const names = [...new Set(phases.flatMap(([, p]) => Object.keys(p.cpu.cpuMs)))];
	const cell = (p: TwoProcessFigures['one'], ms: number | undefined) =>
		ms === undefined ? '—' : `${n(ms / p.cpu.wallMs, 2)} · ${p.turns ? n(ms / p.turns, 1) : '—'}`;
	const total = (p: TwoProcessFigures['one']) => Object.values(p.cpu.cpuMs).reduce((a, b) => a + b, 0);
	return [
		'',
		'CPU by process over each phase: cores used (CPU s ÷ wall s) · CPU ms per turn.',
		'',
		row(['Process', ...phases.map(([name]) => name)]),
		row(['---', ...phases.map(() => '---:')]),
		...names.map((name) => row([name, ...phases.map(([, p]) => cell(p, p.cpu.cpuMs[name]))])),
		row(['all of these', ...phases.map(([, p]) => cell(p, total(p)))])
	];
}

/**
 * What two processes could reach on this machine at best: every core busy, at the CPU per turn (all
 * processes: apps, load generator, emulator, Postgres, Redis) the two-process phase measured. The load
 * generator and the emulator share the cores, so the 1.7× goal is out of reach whenever they need more
 * than the app's idle share.
 */
function cpuCeiling(b4: TwoProcessFigures, cores: number): string {
	const perTurn = b4.two.turns
		? Object.values(b4.two.cpu.cpuMs).reduce((a, b) => a + b, 0) / b4.two.turns
		: 0;
	if (!perTurn || !b4.one.turnsPerS) return '';
	const turnsPerS = (cores * 1000) / perTurn;
	return (
		`CPU ceiling on this machine: ${cores} cores ÷ ${n(perTurn, 1)} ms of CPU per turn (all processes, two-process phase) ` +
		`= ${n(turnsPerS, 1)} turns/s, ${formatRatio(turnsPerS / b4.one.turnsPerS)} of one process; ` +
		`measured ${formatRatio(b4.ratio)}, ${n((100 * b4.two.turnsPerS) / turnsPerS, 0)} % of that ceiling.`
	);
}

function twoProcessSection(b4: TwoProcessFigures | null | undefined, cores: number): string[] {
	if (!b4) return [];
	const phaseRow = (name: string, p: TwoProcessFigures['one']) =>
		row([name, p.turns, n(p.turnsPerS, 1), p.failed, p.errors[0] ?? ''].map(String));
	const delay = b4.addedDelay;
	return [
		'## B4: two app processes (Postgres + Redis)',
		'',
		`${b4.streams} users (one account each) send back-to-back paced turns for ${b4.durationS} s per phase. With two ` +
			'processes each user sends to one of them and watches the answer on the other for every second turn. ' +
			'Goal (issue #12): two processes ≥ 1.7× the turns per second of one on 2 cores; added cross-process delay ≤ 5 ms p50.',
		'',
		row(['Phase', 'Turns', 'Turns/s', 'Failed', 'First error']),
		row(['---', '---:', '---:', '---:', '---']),
		phaseRow('one process', b4.one),
		phaseRow('two processes', b4.two),
		'',
		...cpuTable(b4),
		'',
		`Throughput ratio (two / one): **${formatRatio(b4.ratio)}**. Added delay of a watcher on the other process over ` +
			`one on the sender's process, per delta of the same stream (${b4.delaySamples} deltas): ` +
			(delay
				? `p50 **${n(delay.p50, 2)} ms**, p90 ${n(delay.p90, 2)} ms, p99 ${n(delay.p99, 2)} ms.`
				: 'no samples.'),
		'',
		// Older results (history) have no light phase.
		b4.light
			? `The same delay at light load (${b4.light.users} users, every cross-process turn watched on both processes, ` +
				`${b4.light.delaySamples} deltas, ${b4.light.failed} failed turns): ` +
				(b4.light.addedDelay
					? `p50 **${n(b4.light.addedDelay.p50, 2)} ms**, p90 ${n(b4.light.addedDelay.p90, 2)} ms, p99 ${n(b4.light.addedDelay.p99, 2)} ms.`
					: 'no samples.')
			: '',
		'',
		cpuCeiling(b4, cores),
		''
	];
}

/** The probe's own cost per relay, as the TTFT note names it: "B1 0.05 ms, the app 0.06 ms". */
function probeCosts(ttft: TtftStep[]): string {
	const b1 = ttft.find((t) => t.step === 'B1')?.probeBracketMs;
	const app = ttft.find((t) => t.step === 'B3')?.probeBracketMs;
	const parts = [
		b1 == null ? null : `B1 ${b1.toFixed(2)} ms`,
		app == null ? null : `the app ${app.toFixed(2)} ms`
	].filter(Boolean);
	return parts.length ? `: ${parts.join(', ')}` : '';
}

export function renderMarkdown(results: BenchResults): string {
	const { meta } = results;
	const s = meta.settings;
	return [
		'# Switchboard benchmark: latest run',
		'',
		`${meta.date} · Node ${meta.node} · ${meta.cpus} cores · commit ${meta.commit}${meta.dirty ? ' (working tree had changes)' : ''} · ` +
			`\`${meta.command}\` · ${Math.round(meta.durationS)} s · load average ${n(meta.loadAverage[0], 1)} → ${n(meta.loadAverage[1], 1)}` +
			(s.quick ? ' · **quick mode** (smaller ladder, fewer turns)' : ''),
		'',
		'Every figure is against baselines measured in the same run, on the same emulator (tests/emulators, its own process) ' +
			'and the same load generator: **B0** the OpenAI SDK straight at the emulator; **B1** the same SDK through a plain ' +
			'`node:http` pass-through proxy (its own process); **B3** the Switchboard SDK with an API token through the built ' +
			'app (`node scripts/start.mjs`, adapter-node): `ask()` in an existing chat (`chats.sendAndWatch`: the send, then ' +
			"its answer's events in the same response), one-shot `ask()` (creates its chat too) and stateless " +
			'`streamCompletion()` (`completions.startAndWatch`), one request per turn each; **B5** the ' +
			"official OpenAI SDK (as in B0) streaming from the app's `/v1/chat/completions` with an API token as its key. " +
			'Each database gets its own app and its own interleaved B0/B1/B3/B5 measurements.',
		'',
		'## Goals (issue #11)',
		'',
		...goalTable(results.databases),
		'',
		...results.databases.flatMap((d) => databaseSection(d, s)),
		...twoProcessSection(results.b4, results.meta.cpus),
		'DB statements are counted with a Drizzle query logger on an in-process app (createApp on the same database kind, ' +
			'the same services as the build) behind the API handler; transaction BEGIN/COMMIT are not logged. ' +
			'"Before the first token": issued before the first delta reached the client.',
		'',
		'Reference points (benchmarks.md): a raw Node pipe on such a machine adds about +0.7 ms TTFT p50, ~28 µs CPU per ' +
			'relayed frame and ~67 KB RSS per open stream; published added TTFT p99: Bifrost 1.2 ms, LiteLLM 9.4 ms, Portkey 30.7 ms.',
		''
	].join('\n');
}
