import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** What bench/ladder/probe.mjs answers from inside a server process. */
export type ProbeStats = {
	eld: { count: number; p50Ms: number; p99Ms: number; maxMs: number; meanMs: number };
	memory: NodeJS.MemoryUsage;
	cpu: NodeJS.CpuUsage;
};

export type Child = {
	name: string;
	pid: number;
	process: ChildProcess;
	/** The first message the child sent with `ready: true` (my own children send their URL). */
	ready: Promise<Record<string, unknown>>;
	probe(command: 'read' | 'reset' | 'gc'): Promise<ProbeStats>;
	/** The last lines the child wrote, for error messages. */
	output(): string;
	stop(): Promise<void>;
};

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const probePath = fileURLToPath(new URL('../ladder/probe.mjs', import.meta.url));

/** Starts `node [execArgv] --import probe.mjs script`, with an IPC channel for the probe. */
export function spawnChild(
	name: string,
	script: string,
	options: { env?: NodeJS.ProcessEnv; execArgv?: string[]; cwd?: string } = {}
): Child {
	const child = spawn(process.execPath, [...(options.execArgv ?? []), '--import', probePath, script], {
		cwd: options.cwd ?? repoRoot,
		env: options.env ?? process.env,
		stdio: ['ignore', 'pipe', 'pipe', 'ipc']
	});
	let tail = '';
	const keep = (chunk: Buffer) => {
		tail = (tail + chunk.toString('utf8')).slice(-4000);
	};
	child.stdout?.on('data', keep);
	child.stderr?.on('data', keep);
	const pending = new Map<number, (stats: ProbeStats) => void>();
	let nextId = 1;
	let readyResolve!: (value: Record<string, unknown>) => void;
	let readyReject!: (error: Error) => void;
	const ready = new Promise<Record<string, unknown>>((resolve, reject) => {
		readyResolve = resolve;
		readyReject = reject;
	});
	ready.catch(() => {});
	child.on('message', (message: Record<string, unknown>) => {
		if (message && typeof message.probeReply === 'number') {
			pending.get(message.probeReply)?.(message.stats as ProbeStats);
			pending.delete(message.probeReply);
		} else if (message?.ready) readyResolve(message);
	});
	const exited = new Promise<void>((resolve) =>
		child.once('exit', (code, signal) => {
			readyReject(new Error(`${name} exited (${code ?? signal}) before it was ready:\n${tail}`));
			resolve();
		})
	);
	return {
		name,
		pid: child.pid!,
		process: child,
		ready,
		probe(command) {
			const id = nextId++;
			return new Promise((resolve, reject) => {
				const timer = setTimeout(() => reject(new Error(`${name}: no probe answer`)), 10_000);
				pending.set(id, (stats) => {
					clearTimeout(timer);
					resolve(stats);
				});
				child.send({ probe: command, id });
			});
		},
		output: () => tail,
		async stop() {
			if (child.exitCode !== null || child.signalCode !== null) return;
			child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
			await exited;
			clearTimeout(timer);
		}
	};
}

/** A port that was free a moment ago (the tiny race is acceptable for a bench). */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => resolve(port));
		});
	});
}

const CLOCK_TICKS_PER_SECOND = 100; // getconf CLK_TCK on Linux

/** Resident set size of a process, in KiB (VmRSS from /proc/<pid>/status). */
export function readRssKb(pid: number): number {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
	return match ? Number(match[1]) : NaN;
}

/** User + system CPU time of a process, in ms (utime + stime from /proc/<pid>/stat, 10 ms ticks). */
export function readCpuMs(pid: number): number {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	// The command name (field 2) may hold spaces; everything after its closing parenthesis is fixed.
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	// fields[0] is field 3 (state), so utime (14) and stime (15) are at 11 and 12.
	return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
}

/** Established TCP connections whose local port is `port` (the server side of each). */
export function countEstablished(port: number): number {
	let count = 0;
	for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
		let text = '';
		try {
			text = readFileSync(file, 'utf8');
		} catch {
			continue;
		}
		for (const line of text.split('\n').slice(1)) {
			const parts = line.trim().split(/\s+/);
			if (parts.length < 4) continue;
			const localPort = parseInt(parts[1].split(':')[1] ?? '', 16);
			if (localPort === port && parts[3] === '01') count++;
		}
	}
	return count;
}
