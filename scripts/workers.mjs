// `WORKERS=N npm start`: N app processes on one port (node:cluster), supervised by this one.
import cluster from 'node:cluster';

/**
 * The number of workers WORKERS asks for, or a one-line reason to stop. Several processes share
 * live state (streams, stops, limits, caches) only through Redis, and data only through Postgres.
 */
export function workerCount(env) {
	const raw = env.WORKERS ?? '1';
	const count = Number(raw);
	if (!/^\d+$/.test(raw) || count < 1 || count > 64) {
		return {
			error: `Invalid environment variable WORKERS: must be a whole number from 1 to 64 (got "${raw.slice(0, 20)}")`
		};
	}
	if (count > 1 && (!env.DATABASE_URL || !env.REDIS_URL)) {
		return {
			error: `WORKERS=${count} needs DATABASE_URL (PostgreSQL) and REDIS_URL: processes share data through Postgres and live answers, stops and limits through Redis.`
		};
	}
	return { count };
}

/**
 * Forks `count` workers that serve the same port, replaces one that dies, and on SIGTERM/SIGINT
 * passes the signal on and exits once every worker has shut down (each finishes its answers first).
 * A worker that dies before it ever listened means a bad start (configuration, database): the
 * supervisor stops everything rather than restart it in a loop.
 */
export function superviseWorkers(count) {
	let stopping = false;
	let exitCode = 0;
	const listening = new WeakSet();
	for (let i = 0; i < count; i++) cluster.fork();
	cluster.on('listening', (worker) => listening.add(worker));
	cluster.on('exit', (worker, code, signal) => {
		const left = Object.keys(cluster.workers ?? {}).length;
		if (stopping) {
			if (left === 0) process.exit(exitCode);
			return;
		}
		if (!listening.has(worker)) {
			console.error(`A worker failed to start (exit ${signal ?? code}); stopping.`);
			exitCode = code || 1;
			stopAll('SIGTERM');
			if (left === 0) process.exit(exitCode);
			return;
		}
		console.error(`Worker ${worker.process.pid} exited (${signal ?? code}); starting another.`);
		cluster.fork();
	});
	const stopAll = (signal) => {
		stopping = true;
		for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
	};
	for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stopAll(signal));
	console.log(`Starting ${count} workers on port ${process.env.PORT}`);
}
