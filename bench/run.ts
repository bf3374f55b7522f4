/**
 * `npm run bench`: the ladder B0 (SDK → emulator), B1 (raw node:http pipe), B3 (the built app), run
 * against one emulator with one load generator, interleaved. Writes bench/results/latest.md (committed)
 * and latest.json (ignored) and prints the tables. Times are never asserted: every figure is read
 * against the baselines of the same run.
 *
 *   npm run bench -- --concurrency=100,500 --turns=50 --b3-concurrency=100 --skip-db
 */
import { execSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { directStep } from './ladder/b0-direct';
import { rawPipeStep } from './ladder/b1-raw-pipe';
import { fullPathStep } from './ladder/b3-full-path';
import type { LadderStep } from './ladder/types';
import { PACED_MODEL, QUICK_DELTAS, QUICK_MODEL, scriptEmulator } from './lib/emulator-control';
import { runStreams, runTtft, settledMemory, type RssTimeline, type StreamsPhase } from './lib/phases';
import { readRssKb, repoRoot, spawnChild, type Child } from './lib/processes';
import { monotonicUs, summarizeProfileDir, type ProfileWindow } from './lib/profile-summary';
import { renderMarkdown, type BenchResults } from './lib/report';
import { rotate } from './stats';

const { values: flags } = parseArgs({
	options: {
		turns: { type: 'string', default: '30' },
		warmup: { type: 'string', default: '5' },
		concurrency: { type: 'string', default: '50,100' },
		'b3-concurrency': { type: 'string' },
		deltas: { type: 'string', default: '64' },
		pace: { type: 'string', default: '20' },
		settle: { type: 'string', default: '3' },
		timeout: { type: 'string', default: '60000' },
		'skip-db': { type: 'boolean', default: false },
		profile: { type: 'boolean', default: false },
		out: { type: 'string', default: path.join(repoRoot, 'bench/results') }
	},
	strict: true
});

const int = (name: string, text: string) => {
	const value = Number(text);
	if (!Number.isInteger(value) || value < 0)
		throw new Error(`--${name} must be a whole number, got "${text}"`);
	return value;
};
const list = (name: string, text: string) =>
	text
		.split(',')
		.filter(Boolean)
		.map((t) => int(name, t.trim()));

const settings = {
	turns: int('turns', flags.turns!),
	warmup: int('warmup', flags.warmup!),
	concurrency: list('concurrency', flags.concurrency!),
	b3Concurrency: list('b3-concurrency', flags['b3-concurrency'] ?? flags.concurrency!),
	deltas: int('deltas', flags.deltas!),
	paceMs: int('pace', flags.pace!),
	settleS: int('settle', flags.settle!),
	timeoutMs: int('timeout', flags.timeout!)
};

const began = performance.now();
const log = (line: string) =>
	console.log(`[bench ${((performance.now() - began) / 1000).toFixed(1).padStart(5)} s] ${line}`);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function git(command: string): string {
	try {
		return execSync(`git ${command}`, {
			cwd: repoRoot,
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'ignore']
		}).trim();
	} catch {
		return '';
	}
}

const children: { stop(): Promise<void> }[] = [];
async function stopAll() {
	await Promise.allSettled(children.splice(0).map((c) => c.stop()));
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	process.once(signal, () => void stopAll().finally(() => process.exit(130)));
}

async function main() {
	const loadBefore = os.loadavg()[0];
	log(
		`ladder B0/B1/B3 · ${settings.turns} TTFT turns · streams ${settings.concurrency.join(', ')} (B3: ${settings.b3Concurrency.join(', ')}) of ${settings.deltas} deltas at ${settings.paceMs} ms`
	);
	const emulator: Child = spawnChild(
		'emulator',
		fileURLToPath(new URL('./ladder/emulator-process.ts', import.meta.url)),
		{
			execArgv: ['--import', 'tsx']
		}
	);
	children.push(emulator);
	const emu = (await emulator.ready) as { url: string; origin: string };
	const pacing = { deltas: settings.deltas, paceMs: settings.paceMs };
	await scriptEmulator(emu.origin, pacing);
	log(`emulator on ${emu.origin}`);

	const b0 = directStep(emu.url, settings.timeoutMs);
	const b1 = await rawPipeStep(emu.origin, settings.timeoutMs);
	children.push(b1.child);
	log(`raw proxy on port ${b1.relay?.port}`);
	const profileDir = flags.profile ? mkdtempSync(path.join(os.tmpdir(), 'switchboard-profile-')) : undefined;
	const b3 = await fullPathStep({ emulatorUrl: emu.url, timeoutMs: settings.timeoutMs, log, profileDir });
	children.push({ stop: () => b3.close() });
	log(
		`app on ${b3.url}, healthy after ${(b3.start.readyMs / 1000).toFixed(1)} s${b3.start.rebuilt ? ' (including the build)' : ''}`
	);
	const steps: LadderStep[] = [b0, b1, b3];

	const relays = [b1, b3].map((s) => s.relay!);
	const quiet = [emulator.pid, ...relays.map((r) => r.pid)];
	const windows: ProfileWindow[] = [];
	let windowStart = monotonicUs();
	log('time to first token, interleaved…');
	const ttft = await runTtft(steps, {
		turns: settings.turns,
		warmup: settings.warmup,
		model: QUICK_MODEL,
		deltas: QUICK_DELTAS,
		quiet
	});
	for (const t of ttft)
		log(
			`  ${t.step} TTFT p50 ${t.ttft.p50.toFixed(2)} ms, p99 ${t.ttft.p99.toFixed(2)} ms, failed ${t.failed}${t.errors.length ? ` (${t.errors[0]})` : ''}`
		);

	windows.push({
		name: `time to first token (${settings.warmup + settings.turns} turns per step)`,
		fromUs: windowStart,
		toUs: monotonicUs()
	});
	// Idle is taken warm (after the TTFT turns), so start-up's own allocations do not count as the baseline.
	const idle = new Map<string, { rssKb: number; heapKb: number }>();
	for (const relay of relays) idle.set(relay.name, await settledMemory(relay.pid, relay.probe));
	windowStart = monotonicUs();
	const streams: StreamsPhase[] = [];
	const peak = new Map<string, number>();
	const levels = [...new Set([...settings.concurrency, ...settings.b3Concurrency])].sort((a, b) => a - b);
	for (const [i, level] of levels.entries()) {
		for (const step of rotate<LadderStep>([b0, b1, b3], i)) {
			const wanted = step.id === 'B3' ? settings.b3Concurrency : settings.concurrency;
			if (!wanted.includes(level)) continue;
			await scriptEmulator(emu.origin, pacing);
			log(`${level} paced streams through ${step.label}…`);
			const phase = await runStreams(step, level, {
				model: PACED_MODEL,
				deltas: settings.deltas,
				paceMs: settings.paceMs,
				emulator,
				quiet
			});
			streams.push(phase);
			if (phase.relay)
				peak.set(phase.relay.process, Math.max(peak.get(phase.relay.process) ?? 0, phase.relay.rssPeakKb));
			log(
				`  ok ${phase.ok}/${phase.streams}, lost ${phase.check.lost}, reordered ${phase.check.reordered}, gap p99 ${phase.gap.p99.toFixed(1)} ms` +
					(phase.relay
						? `, ELD p99 ${phase.relay.eld.p99Ms.toFixed(1)} ms, ${phase.relay.cpuUsPerDelta?.toFixed(1)} µs CPU/delta, ${phase.relay.rssPerStreamKb.toFixed(0)} KB/stream`
						: '') +
					(phase.errors.length ? ` · ${phase.errors[0]}` : '')
			);
			if (phase.failed && step.diagnostics) log(`  ${step.label} said:\n${step.diagnostics().slice(-1500)}`);
		}
	}

	if (levels.length)
		windows.push({
			name: `concurrent streams (${levels.join(', ')}; B0 and B1 phases included)`,
			fromUs: windowStart,
			toUs: monotonicUs()
		});
	log(`letting the relays settle for ${settings.settleS} s…`);
	await sleep(settings.settleS * 1000);
	const rss: RssTimeline[] = [];
	for (const relay of relays) {
		const stats = await relay.probe('gc');
		const before = idle.get(relay.name)!;
		rss.push({
			process: relay.name === 'app' ? 'B3 app' : 'B1 proxy',
			idleKb: before.rssKb,
			loadKb: peak.get(relay.name) ?? before.rssKb,
			afterKb: readRssKb(relay.pid),
			heapIdleKb: before.heapKb,
			heapAfterKb: stats.memory.heapUsed / 1024,
			afterSettleS: settings.settleS
		});
	}

	let db: BenchResults['db'] = null;
	if (!flags['skip-db']) {
		log('DB statements per turn (in-process app on PGlite in memory)…');
		await scriptEmulator(emu.origin, pacing);
		const { countTurnStatements } = await import('./ladder/db-statements');
		db = await countTurnStatements({
			emulatorUrl: emu.url,
			quickModel: QUICK_MODEL,
			pacedModel: PACED_MODEL,
			pacedDescription: `${settings.deltas} deltas at ${settings.paceMs} ms`
		});
	}
	await stopAll();
	let profile: BenchResults['profile'] = null;
	if (profileDir) {
		profile = summarizeProfileDir(profileDir, windows);
		if (profile) log(`app CPU profile: ${profile.file}`);
	}

	const results: BenchResults = {
		meta: {
			date: new Date().toISOString(),
			node: process.versions.node,
			cpus: os.availableParallelism(),
			commit: git('rev-parse --short HEAD'),
			dirty: git('status --porcelain --untracked-files=no') !== '',
			command: ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(
				' '
			),
			durationS: (performance.now() - began) / 1000,
			loadAverage: [loadBefore, os.loadavg()[0]],
			app: b3.start,
			settings: {
				turns: settings.turns,
				warmup: settings.warmup,
				concurrency: settings.concurrency,
				b3Concurrency: settings.b3Concurrency,
				deltas: settings.deltas,
				paceMs: settings.paceMs
			}
		},
		ttft,
		streams,
		rss,
		db,
		profile
	};
	mkdirSync(flags.out!, { recursive: true });
	const markdown = renderMarkdown(results);
	writeFileSync(path.join(flags.out!, 'latest.md'), markdown);
	writeFileSync(path.join(flags.out!, 'latest.json'), JSON.stringify(results, null, '\t') + '\n');
	console.log(`\n${markdown}`);
	log(`wrote ${path.relative(process.cwd(), path.join(flags.out!, 'latest.md'))} and latest.json`);
}

main().then(
	() => process.exit(0),
	async (error: unknown) => {
		console.error(error);
		await stopAll();
		process.exit(1);
	}
);
