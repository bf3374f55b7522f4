import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { StepId } from '../ladder/types';
import { formatNumber as n, formatRatio, formatSigned, ratio } from '../stats';
import type { DatabaseResults } from './database-run';
import { evaluateGoals, SPARSE_TURN } from './goals';

const columns = [
	'date (UTC)',
	'commit',
	'command',
	'database',
	'added TTFT p50 / p99 (ms): ask · one-shot · completion · /v1 (B5)',
	'CPU / turn ÷ B1',
	'TTFT p50 @100 ÷ B1',
	'caught up @100',
	'CPU / delta @100 ÷ B1',
	'ELD p99 @100 ÷ B1',
	'SQL before 1st token',
	'RSS / stream @100 ÷ B1',
	'top level: lost / reordered / failed',
	'goals met'
];

/** The headline ratios of one database's run, as history.md cells (one row per database per run). */
export function headlineCells(results: DatabaseResults): string[] {
	const ttft = (id: StepId) => results.ttft.find((t) => t.step === id);
	const b0 = ttft('B0');
	const added = (id: StepId) => {
		const t = ttft(id);
		return t && b0
			? `${formatSigned(t.ttft.p50 - b0.ttft.p50, 1)} / ${formatSigned(t.ttft.p99 - b0.ttft.p99, 1)}`
			: '—';
	};
	const at = (level: number, step: StepId) =>
		results.streams.find((s) => s.streams === level && s.step === step);
	const b1At100 = at(100, 'B1');
	const b3At100 = at(100, 'B3');
	const top = Math.max(...results.streams.filter((s) => s.step === 'B3').map((s) => s.streams));
	const b3Top = at(top, 'B3');
	const goals = evaluateGoals(results).filter((g) => g.met !== null);
	const sqlBefore = results.db.filter((d) => d.beforeFirstToken !== null && d.name !== SPARSE_TURN);
	return [
		results.database,
		(['B3', 'B3 one-shot', 'B3 completion', 'B5'] as const).map((id) => added(id)).join(' · '),
		formatRatio(ratio(ttft('B3')?.relayCpuMsPerTurn, ttft('B1')?.relayCpuMsPerTurn)),
		formatRatio(ratio(b3At100?.ttftUnderLoad.p50, b1At100?.ttftUnderLoad.p50)),
		b3At100 ? `${n((100 * b3At100.catchUpDeltas) / Math.max(1, b3At100.deltasReceived), 0)} %` : '—',
		formatRatio(ratio(b3At100?.relay?.cpuUsPerDelta, b1At100?.relay?.cpuUsPerDelta)),
		formatRatio(ratio(b3At100?.relay?.eld.p99Ms, b1At100?.relay?.eld.p99Ms)),
		sqlBefore.map((d) => d.beforeFirstToken).join(' · '),
		formatRatio(ratio(b3At100?.relay?.rssPerStreamKb, b1At100?.relay?.rssPerStreamKb)),
		b3Top ? `@${top}: ${b3Top.check.lost} / ${b3Top.check.reordered} / ${b3Top.failed}` : '—',
		`${goals.filter((g) => g.met).length} of ${goals.length}`
	];
}

export function historyRows(
	meta: { date: string; commit: string; dirty: boolean; command: string },
	databases: DatabaseResults[]
): string[] {
	const date = meta.date.slice(0, 16).replace('T', ' ');
	const commit = `${meta.commit}${meta.dirty ? '+dirty' : ''}`;
	return databases.map(
		(d) => `| ${[date, commit, `\`${meta.command}\``, ...headlineCells(d)].join(' | ')} |`
	);
}

/** Appends rows to bench/results/history.md, writing its header first when the file is new. */
export function appendHistory(file: string, rows: string[]): void {
	if (!existsSync(file)) {
		writeFileSync(
			file,
			[
				'# Bench history',
				'',
				'One row per database per measured change (`npm run bench -- --history`): the headline ratios of bench/results/latest.md, each against B0/B1 from the same run. Read a change by its before/after rows.',
				'',
				`| ${columns.join(' | ')} |`,
				`| ${columns.map(() => '---').join(' | ')} |`,
				''
			].join('\n')
		);
	}
	writeFileSync(file, withRows(readFileSync(file, 'utf8'), rows));
}

/**
 * The file with `rows` added at the end of its first table (the ladder's): other sections (B4, UI)
 * follow it with tables of their own, so appending to the file would put ladder rows under them.
 */
export function withRows(text: string, rows: string[]): string {
	const lines = text.split('\n');
	const header = lines.findIndex((line) => line.startsWith('| '));
	if (header < 0) return [...lines, ...rows].join('\n');
	let end = header;
	while (end + 1 < lines.length && lines[end + 1].startsWith('|')) end++;
	lines.splice(end + 1, 0, ...rows);
	return lines.join('\n');
}
