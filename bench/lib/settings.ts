import path from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from './processes';

export const databases = ['pglite', 'postgres'] as const;
export type DatabaseKind = (typeof databases)[number];

/** What one `npm run bench` measures; every field comes from a flag or its default. */
export type BenchSettings = {
	quick: boolean;
	databases: DatabaseKind[];
	turns: number;
	warmup: number;
	/** Paced streams at once, per level, through B0 and B1. */
	concurrency: number[];
	/** The same for B3 (defaults to --concurrency). */
	b3Concurrency: number[];
	deltas: number;
	paceMs: number;
	/** Seconds after the last stream before RSS is read again ("back within 10 % of idle 10 s after load"). */
	settleS: number;
	/** Requests per kind for the per-request plumbing figures. */
	requests: number;
	timeoutMs: number;
	profile: boolean;
	history: boolean;
	/** B4 (two app processes on Postgres and Redis): users, and seconds per phase; 0 users skips it. */
	b4Streams: number;
	b4Seconds: number;
	/** `--only=b4`: B4 alone (the single-process ladder skipped), for work on scale-out. */
	onlyB4: boolean;
	out: string;
};

const int = (name: string, text: string) => {
	const value = Number(text);
	if (!Number.isInteger(value) || value < 0)
		throw new Error(`--${name} must be a whole number, got "${text}"`);
	return value;
};

const list = (name: string, text: string) =>
	text
		.split(',')
		.map((t) => t.trim())
		.filter(Boolean)
		.map((t) => int(name, t));

function parseDatabases(text: string): DatabaseKind[] {
	const names = text
		.split(',')
		.map((t) => t.trim())
		.filter(Boolean);
	const unknown = names.filter((name) => !(databases as readonly string[]).includes(name));
	if (unknown.length || names.length === 0)
		throw new Error(`--database must be pglite, postgres or pglite,postgres; got "${text}"`);
	return [...new Set(names)] as DatabaseKind[];
}

function parseOnly(text: string | undefined): boolean {
	if (text === undefined) return false;
	if (text === 'b4') return true;
	throw new Error(`--only must be b4; got "${text}"`);
}

/**
 * The full run (the default) is the issue's ladder: 100, 500 and 1,000 paced streams on both
 * databases. --quick keeps the same shape at a size that finishes in a few minutes while developing;
 * any explicit flag still wins over either preset. Time to first token takes 200 turns per step in
 * the full run: the p50 of 40 moved by ±0.3 ms from run to run, as much as a goal's whole margin.
 * Before them, 1,000 warm-up rounds (every step once a round): a server runs warm, and the app's
 * code is only compiled to its final form after a few thousand turns. Measured in windows of 400
 * `/v1` turns, its CPU per turn fell from 4.2 ms (main thread 2.8, V8's compiler threads 1.4) to
 * 1.6-1.9 ms after about 1,600 turns, and stayed there. B1 warms too (0.76 ms of CPU per turn after
 * 1,000 rounds, 1.0-1.3 ms after 20), so the CPU ratios hardly move; the added times do.
 */
export function parseSettings(argv: string[]): BenchSettings {
	const { values } = parseArgs({
		args: argv,
		options: {
			quick: { type: 'boolean', default: false },
			database: { type: 'string', default: databases.join(',') },
			turns: { type: 'string' },
			warmup: { type: 'string' },
			concurrency: { type: 'string' },
			'b3-concurrency': { type: 'string' },
			deltas: { type: 'string', default: '64' },
			pace: { type: 'string', default: '20' },
			settle: { type: 'string' },
			requests: { type: 'string' },
			timeout: { type: 'string', default: '120000' },
			profile: { type: 'boolean', default: false },
			history: { type: 'boolean', default: false },
			'b4-streams': { type: 'string' },
			'b4-seconds': { type: 'string' },
			only: { type: 'string' },
			out: { type: 'string', default: path.join(repoRoot, 'bench/results') }
		},
		strict: true
	});
	const quick = values.quick!;
	const preset = quick
		? {
				turns: '40',
				warmup: '100',
				concurrency: '50,100',
				settle: '5',
				requests: '40',
				b4Streams: '60',
				b4Seconds: '15'
			}
		: {
				turns: '200',
				warmup: '1000',
				concurrency: '100,500,1000',
				settle: '10',
				requests: '100',
				b4Streams: '200',
				b4Seconds: '30'
			};
	const concurrency = list('concurrency', values.concurrency ?? preset.concurrency);
	return {
		quick,
		databases: parseDatabases(values.database!),
		turns: int('turns', values.turns ?? preset.turns),
		warmup: int('warmup', values.warmup ?? preset.warmup),
		concurrency,
		b3Concurrency: values['b3-concurrency'] ? list('b3-concurrency', values['b3-concurrency']) : concurrency,
		deltas: int('deltas', values.deltas!),
		paceMs: int('pace', values.pace!),
		settleS: int('settle', values.settle ?? preset.settle),
		requests: int('requests', values.requests ?? preset.requests),
		timeoutMs: int('timeout', values.timeout!),
		profile: values.profile!,
		history: values.history!,
		b4Streams: int('b4-streams', values['b4-streams'] ?? preset.b4Streams),
		b4Seconds: int('b4-seconds', values['b4-seconds'] ?? preset.b4Seconds),
		onlyB4: parseOnly(values.only),
		out: values.out!
	};
}
