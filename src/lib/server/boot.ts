import { env } from './env';
import { openDatabase } from './db/client';
import { secureDataDir } from './db/data-dir-modes';
import { migrationsFolder, prepareDatabase } from './db/migrate';
import { maintainPglite, scheduleMaintenance } from './db/pglite-maintenance';
import { createApp, type App } from './app';
import { describeError, log } from './log';
import { recoverInterruptedGenerations, startLeaseSweeper } from './services/recovery-service';
import { guardSingleProcess } from './cluster/single-process-guard';
import { closeRedisPairs } from './cluster/redis-connection';

type BootState = { app?: App; ready?: Promise<App>; stopBackground?: () => Promise<void> };
// One app per process, kept on globalThis so Vite's HMR in dev does not open a second PGlite.
const state: BootState = ((globalThis as { __switchboard?: BootState }).__switchboard ??= {});

/** Opens the database, migrates, seeds and builds the app. Called at server start. */
export function bootApp(): Promise<App> {
	state.ready ??= (async () => {
		const started = Date.now();
		// Before anything is written: the database files and the secret key are the owner's alone.
		const tightened = await secureDataDir(env.DATA_DIR);
		if (tightened > 0)
			log.warn('made data files owner-only (they were readable by other users)', {
				dataDir: env.DATA_DIR,
				count: tightened
			});
		const database = await openDatabase({
			url: env.DATABASE_URL,
			dataDir: env.DATA_DIR,
			migrationsFolder,
			onUnavailable: (error) =>
				log.error('the database thread stopped; requests fail until a restart', {
					error: describeError(error)
				})
		});
		await prepareDatabase(database);
		const app = createApp({ config: env, database });
		const { cluster } = app;
		await cluster.ready;
		const recovered = await recoverInterruptedGenerations(database.db, cluster);
		if (recovered > 0) log.warn('marked interrupted answers as failed', { count: recovered });
		state.stopBackground = await startBackground(app);
		state.app = app;
		log.info('database ready', { driver: database.driver, ms: Date.now() - started, cluster: cluster.mode });
		return app;
	})().catch((error: unknown) => {
		// Without a database nothing works: say why in one line and stop, rather than serve 500s.
		console.error(`Could not open the database: ${describeError(error)}`);
		process.exit(1);
	});
	return state.ready;
}

/**
 * With several processes, the sweeper that fails answers whose process died; with one on Postgres,
 * the check that it really is alone; on PGlite, the tables' upkeep. Returns what stops them.
 */
async function startBackground(app: App): Promise<() => Promise<void>> {
	if (app.cluster.mode === 'shared') {
		const stopSweeper = startLeaseSweeper(app.database.db, app.cluster, env.LEASE_TTL_MS);
		return async () => {
			stopSweeper();
			app.cluster.close();
			await closeRedisPairs();
		};
	}
	if (env.DATABASE_URL) return guardSingleProcess(env.DATABASE_URL);
	return startPgliteMaintenance(app);
}

/** PGlite has no autovacuum: the app vacuums and analyzes its tables as autovacuum would. */
function startPgliteMaintenance(app: App): () => Promise<void> {
	const { db } = app.database;
	return scheduleMaintenance(
		async () => {
			try {
				const steps = await maintainPglite(db);
				// One line a pass that did something: which tables, and how long the other statements waited.
				if (steps.length > 0)
					log.info('database maintenance', {
						vacuumed: steps.filter((step) => step.vacuum).map((step) => step.table),
						analyzed: steps.filter((step) => step.analyze).map((step) => step.table),
						ms: steps.reduce((total, step) => total + step.ms, 0)
					});
			} catch (error) {
				log.warn('database maintenance failed', { error: describeError(error) });
			}
		},
		{ firstMs: 60_000, intervalMs: 10 * 60_000, idle: () => app.generations.runningCount === 0 }
	);
}

/** The booted app, or undefined while start-up is still running. */
export function currentApp(): App | undefined {
	return state.app;
}

/**
 * Graceful shutdown: new answers are refused at once (and /healthz says 503, so a load balancer
 * moves on), running answers get up to `graceMs` to finish, then the rest are stopped and saved as
 * `stopped` with their text before the database closes. Their watchers get the terminal event, so
 * every open stream ends cleanly and a client reconnects to wherever the answer is kept.
 */
export async function shutdownApp(graceMs = 0): Promise<void> {
	const app = state.app;
	if (!app) return;
	app.generations.beginDrain();
	const running = app.generations.runningCount;
	if (running > 0) log.info('shutting down: letting running answers finish', { running, graceMs });
	const idle = await app.generations.waitForIdle(graceMs);
	if (!idle)
		log.warn('shutting down: stopping answers still running', { count: app.generations.runningCount });
	await app.generations.halt(5_000);
	// Every watcher has its terminal event queued; let the streams end before the process does.
	if (!(await app.subscriptions.waitForNone(5_000))) {
		log.warn('shutting down: closing streams still open', { count: app.subscriptions.count });
	}
	state.app = undefined;
	state.ready = undefined;
	await state.stopBackground?.();
	await app.authRuntime.tokenUse.flush();
	await app.database.close();
}
