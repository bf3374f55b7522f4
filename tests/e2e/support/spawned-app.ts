import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import superjson from 'superjson';
import { appPort, emulatorBaseUrl, type EmulatedProvider } from './env';

/**
 * A second copy of the built app, started with `node scripts/start.mjs` like `npm start`, for specs
 * about the process itself: its log lines, its signals, its restarts. Its database is its own: a
 * temporary PGlite directory, or a scratch Postgres database when DATABASE_URL is set.
 */
export type SpawnedApp = {
	origin: string;
	/** Everything the process wrote to stdout and stderr so far. */
	output(): string;
	/** Sends a signal and resolves with the exit code once the process is gone. */
	stop(signal?: NodeJS.Signals): Promise<number | null>;
	exited: Promise<number | null>;
};

export type AppDatabase = { env: Record<string, string>; label: string };

/** A fresh database for spawned apps; pass the same one again to restart on the same data. */
export async function freshDatabase(label: string): Promise<AppDatabase> {
	if (!process.env.DATABASE_URL) {
		return { env: { DATA_DIR: mkdtempSync(path.join(tmpdir(), `switchboard-${label}-`)) }, label };
	}
	const url = new URL(process.env.DATABASE_URL);
	const name = `${url.pathname.slice(1) || 'switchboard'}_${label}`.replace(/[^a-z0-9_]/gi, '_');
	const admin = postgres(url.toString(), { max: 1, onnotice: () => {} });
	try {
		await admin.unsafe(`drop database if exists "${name}" with (force)`);
		await admin.unsafe(`create database "${name}"`);
	} finally {
		await admin.end();
	}
	url.pathname = `/${name}`;
	return { env: { DATABASE_URL: url.toString() }, label };
}

// A failed spec must not leave its app running on a port the next run needs.
const children = new Set<ChildProcess>();
process.once('exit', () => {
	for (const child of children) child.kill('SIGKILL');
});

/** Kills every app a spec started and did not stop (for afterEach). */
export function killSpawnedApps(): void {
	for (const child of children) child.kill('SIGKILL');
	children.clear();
}

/**
 * Ports after the main e2e app's, one per spawned app of a spec. Mind fetch's blocked ports
 * (4190, "sieve", is one: offset 7 with the default port), which fetch refuses to connect to.
 */
export const spawnedPort = (offset: number) => appPort + 10 + offset;

export async function spawnApp(options: {
	port: number;
	database: AppDatabase;
	env?: Record<string, string>;
}): Promise<SpawnedApp> {
	const env: Record<string, string | undefined> = {
		// As in serve.mjs: titles written by a model would add provider calls the specs count.
		TITLE_MODEL: 'off',
		...process.env,
		...options.database.env,
		PORT: String(options.port),
		LOG_LEVEL: 'info',
		...options.env
	};
	delete env.ORIGIN;
	if (!options.database.env.DATABASE_URL) delete env.DATABASE_URL;
	const child: ChildProcess = spawn(process.execPath, ['scripts/start.mjs'], { env, stdio: 'pipe' });
	let output = '';
	child.stdout?.setEncoding('utf8').on('data', (text: string) => (output += text));
	child.stderr?.setEncoding('utf8').on('data', (text: string) => (output += text));
	children.add(child);
	const exited = new Promise<number | null>((resolve) =>
		child.once('exit', (code) => {
			children.delete(child);
			resolve(code);
		})
	);
	const origin = `http://127.0.0.1:${options.port}`;
	const deadline = Date.now() + 120_000;
	for (;;) {
		const up = await fetch(`${origin}/healthz`).then(
			(r) => r.ok,
			() => false
		);
		if (up) break;
		if (child.exitCode !== null) throw new Error(`the app exited at start:\n${output}`);
		if (Date.now() > deadline) {
			child.kill('SIGKILL');
			throw new Error(`the app did not start:\n${output}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	return {
		origin,
		output: () => output,
		exited,
		stop: async (signal = 'SIGTERM') => {
			if (child.exitCode === null) child.kill(signal);
			return exited;
		}
	};
}

export type CallResult<T> =
	{ ok: true; data: T; headers: Headers } | { ok: false; status: number; error: unknown };

/** One tRPC call over HTTP: with a bearer token, or a session cookie and a same-origin header. */
export async function trpc<T = unknown>(
	origin: string,
	procedure: string,
	input: unknown,
	auth: { token?: string; cookie?: string } = {},
	kind: 'query' | 'mutation' = 'mutation'
): Promise<CallResult<T>> {
	const headers: Record<string, string> = { 'content-type': 'application/json', origin };
	if (auth.token) headers.authorization = `Bearer ${auth.token}`;
	if (auth.cookie) headers.cookie = auth.cookie;
	const body = JSON.stringify(superjson.serialize(input));
	const response =
		kind === 'query'
			? await fetch(`${origin}/api/trpc/${procedure}?input=${encodeURIComponent(body)}`, { headers })
			: await fetch(`${origin}/api/trpc/${procedure}`, { method: 'POST', headers, body });
	const parsed = (await response.json()) as {
		result?: { data: Parameters<typeof superjson.deserialize>[0] };
		error?: unknown;
	};
	if (!response.ok || !parsed.result) return { ok: false, status: response.status, error: parsed.error };
	return { ok: true, data: superjson.deserialize<T>(parsed.result.data), headers: response.headers };
}

export async function trpcOk<T = unknown>(...args: Parameters<typeof trpc>): Promise<T> {
	const result = await trpc<T>(...args);
	if (!result.ok) throw new Error(`${args[1]} failed: ${result.status} ${JSON.stringify(result.error)}`);
	return result.data;
}

/** Signs up the first account (the admin) and returns its session cookie and a fresh API token. */
export async function adminOf(
	app: SpawnedApp,
	account = {
		email: 'ops-admin@e2e.switchboard.test',
		password: 'ops admin password, long enough',
		name: 'Ops'
	}
): Promise<{ cookie: string; token: string; password: string }> {
	const response = await fetch(`${app.origin}/api/trpc/auth.signUp`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', origin: app.origin },
		body: JSON.stringify(superjson.serialize(account))
	});
	if (!response.ok) throw new Error(`sign-up failed: ${response.status} ${await response.text()}`);
	const cookie = response.headers
		.getSetCookie()
		.map((c) => c.split(';')[0])
		.join('; ');
	const { token } = await trpcOk<{ token: string }>(
		app.origin,
		'auth.tokens.create',
		{ name: 'ops' },
		{ cookie }
	);
	return { cookie, token, password: account.password };
}

/**
 * Points a spawned app's providers at the emulators, in this order of priority (the first is the
 * default), each with a key of its own that names the spec (`label`); Ollama's models come from
 * discovery.
 */
export async function useEmulators(
	app: SpawnedApp,
	token: string,
	providers: readonly EmulatedProvider[],
	label: string
): Promise<void> {
	for (const [index, providerId] of providers.entries()) {
		await trpcOk(
			app.origin,
			'providers.update',
			{
				providerId,
				enabled: true,
				priority: (index + 1) * 10,
				apiKey: providerId === 'ollama' ? undefined : `sk-e2e-${label}-${providerId}-key`,
				baseUrl: emulatorBaseUrl(providerId),
				settings: { allowPrivateNetwork: true },
				isDefault: index === 0
			},
			{ token }
		);
	}
	if (providers.includes('ollama'))
		await trpcOk(app.origin, 'models.refresh', { providerId: 'ollama' }, { token });
}
