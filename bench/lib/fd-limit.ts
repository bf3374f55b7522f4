import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Sockets per stream in the busiest process (the load generator holds the send and the SSE stream
 * of each B3 turn; the app holds the inbound and the upstream one), plus room for files and pipes. */
export const descriptorsNeeded = (maxStreams: number) => 3 * maxStreams + 512;

/** "Max open files" of this process (soft, hard); Infinity for "unlimited". */
export function openFileLimits(): { soft: number; hard: number } {
	const line = readFileSync('/proc/self/limits', 'utf8')
		.split('\n')
		.find((l) => l.startsWith('Max open files'));
	const [soft, hard] = (line?.slice('Max open files'.length).trim().split(/\s+/) ?? []).map((v) =>
		v === 'unlimited' ? Infinity : Number(v)
	);
	return { soft: soft ?? NaN, hard: hard ?? NaN };
}

const REEXEC_MARK = 'SWITCHBOARD_BENCH_FD_RAISED';

/**
 * Node cannot raise RLIMIT_NOFILE itself, and every child (emulator, proxy, app) inherits this
 * process's limit, so a limit too low for the ladder is raised by running the bench again under
 * `ulimit -n` (up to the hard limit). When even the hard limit is too low the run stops before any
 * stream starts, saying what to change, rather than failing streams with EMFILE halfway.
 */
export function ensureDescriptors(maxStreams: number): void {
	const needed = descriptorsNeeded(maxStreams);
	const { soft, hard } = openFileLimits();
	if (soft >= needed) return;
	if (hard < needed || process.env[REEXEC_MARK]) {
		throw new Error(
			`${maxStreams} streams need about ${needed} open files per process, but the limit is ${soft} (hard ${hard}). ` +
				`Raise it (e.g. \`ulimit -n ${needed}\`, or the hard limit in /etc/security/limits.conf) or lower --concurrency.`
		);
	}
	const result = spawnSync(
		'/bin/sh',
		[
			'-c',
			`ulimit -n ${needed} && exec "$0" "$@"`,
			process.execPath,
			...process.execArgv,
			...process.argv.slice(1)
		],
		{ stdio: 'inherit', env: { ...process.env, [REEXEC_MARK]: '1' } }
	);
	process.exit(result.status ?? 1);
}
