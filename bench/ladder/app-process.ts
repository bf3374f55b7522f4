import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DatabaseKind } from '../lib/settings';
import { freePort, repoRoot, spawnChild, type Child } from '../lib/processes';

export type AppStart = { rebuilt: boolean; readyMs: number };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The checkout is shared: someone else's `npm start` or e2e run may rebuild build/ while ours boots, and
 * SvelteKit imports route chunks lazily, so the first request then finds its chunk gone. That start is
 * thrown away and retried once build/ has stopped changing; once warm, a running app no longer reads build/.
 */
function lostItsBuild(output: string): boolean {
	return output.includes('ERR_MODULE_NOT_FOUND') && output.includes('/build/');
}

async function waitForStableBuild(): Promise<void> {
	const stamp = path.join(repoRoot, 'build/index.js');
	let last = '';
	for (let i = 0; i < 300; i++) {
		const now = existsSync(stamp) ? String(statSync(stamp).mtimeMs) : 'missing';
		if (now === last) return;
		last = now;
		await sleep(2_000);
	}
}

/** Starts `node scripts/start.mjs` (which builds first when build/ is missing or stale) and waits for /healthz. */
async function startOnce(
	env: NodeJS.ProcessEnv,
	url: string,
	log: (line: string) => void,
	profileDir?: string
) {
	const started = performance.now();
	// --expose-gc lets the probe settle the heap before "idle" and "after" readings; the app never calls gc.
	const execArgv = ['--expose-gc', ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])];
	const child = spawnChild('app', path.join(repoRoot, 'scripts/start.mjs'), { env, execArgv });
	let announced = false;
	for (;;) {
		if (child.process.exitCode !== null) {
			return { ok: false as const, child, retry: lostItsBuild(child.output()), output: child.output() };
		}
		if (!announced && child.output().includes('Building')) {
			announced = true;
			log('building the app (build/ is missing or older than the sources)…');
		}
		const status = await fetch(`${url}/healthz`).then(
			(r) => r.status,
			() => 0
		);
		if (status === 200)
			return {
				ok: true as const,
				child,
				start: { rebuilt: announced, readyMs: performance.now() - started }
			};
		if (lostItsBuild(child.output()))
			return { ok: false as const, child, retry: true, output: child.output() };
		if (performance.now() - started > 300_000)
			return { ok: false as const, child, retry: false, output: child.output() };
		await sleep(200);
	}
}

/** Where the app keeps its data: embedded PGlite on disk, or a Postgres database. */
export type AppDatabase = { kind: 'pglite' } | { kind: Extract<DatabaseKind, 'postgres'>; url: string };

export type RunningApp = { child: Child; url: string; port: number; start: AppStart; stop(): Promise<void> };

/** The built app (`node scripts/start.mjs`, adapter-node) on a free port, healthy, with the probe preloaded. */
export async function startApp(options: {
	emulatorUrl: string;
	database: AppDatabase;
	log: (line: string) => void;
	profileDir?: string;
	/** More environment (B4: REDIS_URL, so several apps share live state). */
	env?: Record<string, string>;
}): Promise<RunningApp> {
	const { emulatorUrl, log, profileDir } = options;
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const dataDir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-bench-'));
	const env: NodeJS.ProcessEnv = {
		...process.env,
		NODE_ENV: 'production',
		PORT: String(port),
		HOST: '127.0.0.1',
		ORIGIN: url,
		DATA_DIR: dataDir,
		...(options.database.kind === 'postgres' ? { DATABASE_URL: options.database.url } : {}),
		LOG_LEVEL: 'warn',
		// The bench signs up an account per concurrent stream, all from 127.0.0.1.
		SIGNUP_LIMIT: '100000',
		OPENAI_BASE_URL: emulatorUrl,
		OPENAI_API_KEY: 'sk-bench-0000000000000000',
		DEFAULT_PROVIDER: 'openai',
		...options.env
	};
	// The chosen database only, and no other provider configured from the shell.
	if (options.database.kind === 'pglite') delete env.DATABASE_URL;
	for (const name of ['ANTHROPIC_API_KEY', 'ANTHROPIC_BASE_URL', 'OLLAMA_HOST', 'SECRET_KEY'])
		delete env[name];
	for (let attempt = 1; ; attempt++) {
		const result = await startOnce(env, url, log, profileDir);
		if (result.ok) {
			const child = result.child;
			return {
				child,
				url,
				port,
				start: result.start,
				async stop() {
					await child.stop();
					rmSync(dataDir, { recursive: true, force: true });
				}
			};
		}
		await result.child.stop();
		if (!result.retry || attempt >= 3) {
			rmSync(dataDir, { recursive: true, force: true });
			throw new Error(`the app did not become healthy:\n${result.output.slice(-3000)}`);
		}
		log('build/ changed under the starting app (another build in this checkout); starting again…');
		await waitForStableBuild();
		rmSync(dataDir, { recursive: true, force: true });
		mkdirSync(dataDir, { recursive: true });
	}
}
