import type { StatementCount } from '../ladder/db-statements';
import type { StepId } from '../ladder/types';
import { difference, formatNumber, formatRatio, formatSigned, ratio } from '../stats';
import type { RssTimeline, StreamsPhase, TtftStep } from './phases';
import type { ProfileReport } from './profile-summary';

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
		app: { rebuilt: boolean; readyMs: number };
		settings: {
			turns: number;
			warmup: number;
			concurrency: number[];
			b3Concurrency: number[];
			deltas: number;
			paceMs: number;
		};
	};
	ttft: TtftStep[];
	streams: StreamsPhase[];
	rss: RssTimeline[];
	db: StatementCount[] | null;
	profile: ProfileReport | null;
};

const labels: Record<StepId, string> = { B0: 'B0 direct SDK', B1: 'B1 raw pipe', B3: 'B3 full path' };
const n = formatNumber;
const mb = (kb: number) => formatNumber(kb / 1024, 1);

function row(cells: (string | number)[]): string {
	return `| ${cells.join(' | ')} |`;
}

function ttftTable(ttft: TtftStep[], turns: number): string[] {
	const by = (id: StepId) => ttft.find((t) => t.step === id);
	const b0 = by('B0');
	const steps = (['B0', 'B1', 'B3'] as const).map(by);
	const lines = [
		row([
			'Time to first token',
			...steps.map((s) => (s ? labels[s.step] : '—')),
			'B1 − B0',
			'B3 − B0',
			'B3 ÷ B0'
		]),
		row(['---', '--:', '--:', '--:', '--:', '--:', '--:'])
	];
	for (const key of ['p50', 'p99'] as const) {
		const value = (id: StepId) => by(id)?.ttft[key];
		lines.push(
			row([
				`TTFT ${key} (ms)`,
				...steps.map((s) => n(s?.ttft[key])),
				formatSigned(difference(value('B1'), value('B0'))),
				formatSigned(difference(value('B3'), value('B0'))),
				formatRatio(ratio(value('B3'), value('B0')))
			])
		);
	}
	lines.push(
		row([
			'relay CPU per turn, p50 (ms)',
			...steps.map((s) => (s?.relayCpuMsPerTurn == null ? '—' : n(s.relayCpuMsPerTurn))),
			'',
			'',
			`(B3 ÷ B1: ${formatRatio(ratio(by('B3')?.relayCpuMsPerTurn, by('B1')?.relayCpuMsPerTurn))})`
		])
	);
	lines.push(
		row([
			'failed turns / lost / reordered deltas',
			...steps.map((s) => (s ? `${s.failed} / ${s.check.lost} / ${s.check.reordered}` : '—')),
			'',
			'',
			''
		])
	);
	const b3 = by('B3');
	const notes = [
		`${turns} warm turns per step, interleaved (rotating order); p99 of ${turns} samples is close to the max.`
	];
	if (b3?.sendMs && b3.streamOpenMs && b0) {
		notes.push(
			`B3 p50 breakdown, from the call: \`chats.send\` answered at ${n(b3.sendMs.p50)} ms, the SSE subscription ` +
				`opened at ${n(b3.streamOpenMs.p50)} ms, first delta at ${n(b3.ttft.p50)} ms ` +
				`(B0's whole TTFT p50 is ${n(b0.ttft.p50)} ms).`
		);
	}
	return [...lines, '', ...notes.map((line) => `- ${line}`)];
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
			'after (MB)',
			'after − idle (MB)',
			'JS heap idle → after (MB)'
		]),
		row(['---', '--:', '--:', '--:', '--:', '--:']),
		...rss.map((r) =>
			row([
				r.process,
				mb(r.idleKb),
				mb(r.loadKb),
				mb(r.afterKb),
				delta(r.afterKb, r.idleKb),
				`${mb(r.heapIdleKb)} → ${mb(r.heapAfterKb)}`
			])
		),
		'',
		`- idle: warm (after the TTFT turns), once RSS has stopped falling after start-up (forced GCs a second apart), before the concurrent streams; after: ${rss[0].afterSettleS} s after the last stream ` +
			'ended, then a forced GC. The app keeps finished generation logs for 60 s (retainLogMs) for late subscribers, ' +
			"and PGlite's WebAssembly memory can grow but never shrink."
	];
}

/** "select api_tokens ×2, insert messages, …" in first-seen order. */
export function tally(statements: string[]): string {
	const counts = new Map<string, number>();
	for (const s of statements) counts.set(s, (counts.get(s) ?? 0) + 1);
	return [...counts].map(([label, count]) => (count > 1 ? `${label} ×${count}` : label)).join(', ');
}

function profileSection(profile: BenchResults['profile']): string[] {
	if (!profile) return [];
	const lines = [
		'## Where the app spends its CPU (--profile)',
		'',
		'A V8 CPU profile of the app (`--cpu-prof`; the profiler adds some overhead of its own), split by the layer of ' +
			'the sampled stack, per phase of the run.',
		''
	];
	for (const w of profile.windows) {
		lines.push(
			`**${w.name}**: ${n(w.busyMs, 0)} ms of samples on the app's main thread in ${n(w.windowMs, 0)} ms.`,
			'',
			row(['Layer', 'CPU (ms)', 'share of busy']),
			row(['---', '--:', '--:']),
			...w.shares.map((s) => row([s.category, n(s.ms, 0), `${formatNumber(100 * s.share, 1)} %`])),
			''
		);
	}
	return lines;
}

function dbTable(db: StatementCount[] | null): string[] {
	if (!db) return ['Not measured (--skip-db).'];
	return [
		row(['Turn', 'SQL statements', 'Which']),
		row(['---', '--:', '---']),
		...db.map((d) => row([`${d.name}: ${d.description}`, d.count, tally(d.statements)]))
	];
}

export function renderMarkdown(results: BenchResults): string {
	const { meta } = results;
	const s = meta.settings;
	return [
		'# Switchboard benchmark: latest run',
		'',
		`${meta.date} · Node ${meta.node} · ${meta.cpus} cores · commit ${meta.commit}${meta.dirty ? ' (working tree had changes)' : ''} · ` +
			`\`${meta.command}\` · ${Math.round(meta.durationS)} s · load average ${n(meta.loadAverage[0], 1)} → ${n(meta.loadAverage[1], 1)}` +
			(meta.app.rebuilt ? ' (the app was rebuilt first)' : ''),
		'',
		'Every figure is against baselines measured in the same run, on the same emulator (tests/emulators, its own process) ' +
			'and the same load generator: **B0** the OpenAI SDK straight at the emulator; **B1** the same SDK through a plain ' +
			'`node:http` pass-through proxy (its own process); **B3** the SDK (`createSwitchboardClient().ask()`, API token) ' +
			'through the built app (`node scripts/start.mjs`, adapter-node, PGlite on disk): session check, `chats.send`, ' +
			'the generation, the `chats.stream` SSE subscription.',
		'',
		'## Added time to first token',
		'',
		...ttftTable(results.ttft, s.turns),
		'',
		`## Concurrent paced streams (${s.deltas} deltas at ${s.paceMs} ms)`,
		'',
		...streamsTables(results.streams),
		'',
		'- All streams start at once. gap: time between consecutive deltas at the client, all streams pooled. caught-up ' +
			'deltas: delivered back to back right after a stream opened, because they had been produced before anyone was ' +
			'subscribed (B3 replays the generation log from the start); live gap: the gaps after that. ' +
			'ELD: event-loop delay beyond the 10 ms timer (perf_hooks.monitorEventLoopDelay, preloaded into the relay ' +
			'process by bench/ladder/probe.mjs).',
		'- CPU per delta: utime+stime of the relay process (/proc/<pid>/stat) over the phase ÷ deltas delivered; for B3 it ' +
			'includes everything the app does for the turn (auth, send, DB writes, SSE). RSS per open stream: ' +
			'(peak VmRSS during the phase − VmRSS after a forced GC before it) ÷ streams.',
		'- B3 runs three streams per user (the per-user cap on concurrent generations), one API token per user.',
		'',
		'## RSS idle → load → after',
		'',
		...rssTable(results.rss),
		'',
		...profileSection(results.profile),
		'## DB statements per chat turn',
		'',
		...dbTable(results.db),
		'',
		'Counted with a Drizzle query logger on an in-process app (createApp on PGlite in memory, the same services as the ' +
			'build) behind the API handler; transaction BEGIN/COMMIT are not logged.',
		'',
		'Reference points (benchmarks.md): a raw Node pipe on such a machine adds about +0.7 ms TTFT p50, ~28 µs CPU per ' +
			'relayed frame and ~67 KB RSS per open stream; published added TTFT p99: Bifrost 1.2 ms, LiteLLM 9.4 ms, Portkey 30.7 ms.',
		''
	].join('\n');
}
