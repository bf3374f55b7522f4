import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';

/** A throwaway redis-server (no persistence) for specs that run several app processes. */
export type RedisServer = { url: string; stop(): Promise<void> };

export async function startRedisServer(port: number): Promise<RedisServer> {
	const child: ChildProcess = spawn(
		'redis-server',
		['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
		{ stdio: 'pipe' }
	);
	let output = '';
	child.stdout?.setEncoding('utf8').on('data', (text: string) => (output += text));
	child.stderr?.setEncoding('utf8').on('data', (text: string) => (output += text));
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	const deadline = Date.now() + 10_000;
	while (!(await accepts(port))) {
		if (child.exitCode !== null || Date.now() > deadline) {
			child.kill('SIGKILL');
			throw new Error(`redis-server did not start on port ${port}:\n${output}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	return {
		url: `redis://127.0.0.1:${port}`,
		stop: async () => {
			if (child.exitCode === null) child.kill('SIGTERM');
			await exited;
		}
	};
}

function accepts(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = createConnection({ port, host: '127.0.0.1' });
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
	});
}
