import { readdirSync, readFileSync } from 'node:fs';
import { readCpuMs } from './processes';

/*
 * Where a machine's cores went during a stretch of a run, by process: the bench's own process (the
 * load generator), named child processes, and every Postgres backend together. Read from /proc
 * (10 ms ticks) before and after the stretch; for B4, which must tell whether two app processes are
 * held back by each other or by what shares the machine with them.
 */

export type CpuReading = Record<string, number>;
export type CpuSplit = { wallMs: number; cpuMs: Record<string, number> };

/** The summed CPU of every process whose command name is `name` (Postgres: one per connection). */
function cpuOfAll(name: string): number {
	let total = 0;
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
			if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) === name)
				total += readCpuMs(Number(entry));
		} catch {
			// The process ended between the listing and the read.
		}
	}
	return total;
}

export function readCpu(pids: Record<string, number | undefined>): CpuReading {
	const usage = process.cpuUsage();
	const reading: CpuReading = {
		at: performance.now(),
		'load generator': (usage.user + usage.system) / 1000,
		postgres: cpuOfAll('postgres')
	};
	for (const [name, pid] of Object.entries(pids)) {
		if (pid === undefined) continue;
		try {
			reading[name] = readCpuMs(pid);
		} catch {
			// Gone: it counts as nothing from here.
		}
	}
	return reading;
}

export function cpuBetween(before: CpuReading, after: CpuReading): CpuSplit {
	const cpuMs: Record<string, number> = {};
	for (const name of Object.keys(after)) {
		if (name === 'at' || before[name] === undefined) continue;
		cpuMs[name] = after[name] - before[name];
	}
	return { wallMs: after.at - before.at, cpuMs };
}
