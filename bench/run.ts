/**
 * `npm run bench`: the ladder B0 (SDK → emulator), B1 (raw node:http pipe), B3 (the built app, each
 * SDK path) against one emulator with one load generator, interleaved, on each database
 * (--database=pglite,postgres). Writes bench/results/latest.md (committed) and latest.json (ignored),
 * and with --history appends the headline ratios to bench/results/history.md. Times are never
 * asserted: every figure is read against the baselines of the same run.
 *
 *   npm run bench                       # the full ladder: 100, 500 and 1,000 streams, both databases
 *   npm run bench -- --quick            # a few minutes, for development
 *   npm run bench -- --database=postgres --concurrency=100 --profile
 *   npm run bench -- --only=b4 --database=postgres   # B4 alone: two app processes on Postgres + Redis
 */
import { execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { directStep } from './ladder/b0-direct';
import { twoProcessStep, type TwoProcessFigures } from './ladder/b4-two-processes';
import { LOCAL_BENCH_URL, scratchPostgres } from './lib/scratch-postgres';
import { rawPipeStep } from './ladder/b1-raw-pipe';
import { runDatabase, type DatabaseResults } from './lib/database-run';
import { scriptEmulator } from './lib/emulator-control';
import { ensureDescriptors } from './lib/fd-limit';
import { appendHistory, historyRows } from './lib/history';
import { repoRoot, spawnChild, type Child } from './lib/processes';
import { renderMarkdown, type BenchResults } from './lib/report';
import { parseSettings } from './lib/settings';

const settings = parseSettings(process.argv.slice(2));
ensureDescriptors(Math.max(1, ...settings.concurrency, ...settings.b3Concurrency));

const began = performance.now();
const log = (line: string) =>
	console.log(`[bench ${((performance.now() - began) / 1000).toFixed(1).padStart(6)} s] ${line}`);

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

/** Everything started, stopped in reverse order (apps before the scratch databases they use). */
const teardown: (() => Promise<void>)[] = [];
async function stopAll() {
	for (const stop of teardown.splice(0).reverse()) await stop().catch(() => {});
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	process.once(signal, () => void stopAll().finally(() => process.exit(130)));
}

async function main() {
	const loadBefore = os.loadavg()[0];
	log(
		`ladder B0/B1/B3 on ${settings.databases.join(' and ')} · ${settings.turns} TTFT turns · streams ${settings.concurrency.join(', ')} (B3: ${settings.b3Concurrency.join(', ')}) of ${settings.deltas} deltas at ${settings.paceMs} ms`
	);
	const emulator: Child = spawnChild(
		'emulator',
		fileURLToPath(new URL('./ladder/emulator-process.ts', import.meta.url)),
		{ execArgv: ['--import', 'tsx'] }
	);
	teardown.push(() => emulator.stop());
	const emu = (await emulator.ready) as { url: string; origin: string };
	await scriptEmulator(emu.origin, { deltas: settings.deltas, paceMs: settings.paceMs });
	log(`emulator on ${emu.origin}`);
	const b0 = directStep(emu.url, settings.timeoutMs);
	const b1 = await rawPipeStep(emu.origin, settings.timeoutMs);
	teardown.push(() => b1.close());
	log(`raw proxy on port ${b1.relay?.port}`);

	const databases: DatabaseResults[] = [];
	for (const kind of settings.onlyB4 ? [] : settings.databases) {
		databases.push(
			await runDatabase(kind, {
				emulator,
				emulatorUrl: emu.url,
				emulatorOrigin: emu.origin,
				b0,
				b1,
				settings,
				log,
				track: (stop) => teardown.push(stop)
			})
		);
	}
	const b4 = await runTwoProcesses(emu, emulator.process.pid);
	await stopAll();

	const { out, ...measured } = settings;
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
			settings: measured
		},
		databases,
		b4
	};
	mkdirSync(out, { recursive: true });
	const markdown = renderMarkdown(results);
	writeFileSync(path.join(out, 'latest.md'), markdown);
	writeFileSync(path.join(out, 'latest.json'), JSON.stringify(results, null, '\t') + '\n');
	console.log(`\n${markdown}`);
	log(`wrote ${path.relative(process.cwd(), path.join(out, 'latest.md'))} and latest.json`);
	if (settings.history) {
		appendHistory(path.join(out, 'history.md'), historyRows(results.meta, databases));
		log(`appended to ${path.relative(process.cwd(), path.join(out, 'history.md'))}`);
	}
}

/** B4 on a scratch Postgres (several processes need one), when Postgres is in the run. */
async function runTwoProcesses(
	emu: { url: string; origin: string },
	emulatorPid: number | undefined
): Promise<TwoProcessFigures | null> {
	if (settings.b4Streams === 0 || !settings.databases.includes('postgres')) return null;
	const scratch = await scratchPostgres(process.env.BENCH_DATABASE_URL || LOCAL_BENCH_URL);
	teardown.push(() => scratch.drop());
	await scriptEmulator(emu.origin, { deltas: settings.deltas, paceMs: settings.paceMs });
	return twoProcessStep({
		emulatorUrl: emu.url,
		databaseUrl: scratch.url,
		streams: settings.b4Streams,
		durationS: settings.b4Seconds,
		pacing: { deltas: settings.deltas, paceMs: settings.paceMs },
		emulatorPid,
		log,
		track: (stop) => teardown.push(stop)
	});
}

main().then(
	() => process.exit(0),
	async (error: unknown) => {
		console.error(error);
		await stopAll();
		process.exit(1);
	}
);
