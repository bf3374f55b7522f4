import { randomUUID } from 'node:crypto';
import { createTRPCClient, httpBatchLink, TRPCClientError, type TRPCClient } from '@trpc/client';
import superjson from 'superjson';
import { MAX_BATCH_SIZE } from '../../src/lib/schemas/api-limits';
import { tokenCreateInput, type TokenCreateInput } from '../../src/lib/schemas/tokens';
import type { AuthUser, UserRole } from '../../src/lib/schemas/auth';
import { createApp, type App } from '../../src/lib/server/app';
import { configureAuth } from '../../src/lib/server/auth/runtime';
import { hashPassword } from '../../src/lib/server/auth/password';
import { SESSION_COOKIE } from '../../src/lib/server/auth/session';
import { createSession } from '../../src/lib/server/auth/session-store';
import { toAuthUser } from '../../src/lib/server/auth/authenticate';
import type { DatabaseHandle } from '../../src/lib/server/db/client';
import { insertUser } from '../../src/lib/server/db/repositories/user-repository';
import { parseEnv, type Env } from '../../src/lib/server/env-schema';
import { handleApiRequest } from '../../src/lib/server/http/api-handler';
import { serveNodeRoute } from '../../src/lib/server/http/node-routes';
import { leanSettings } from './lean-route';
import type { AppRouter } from '../../src/lib/server/trpc/router';
import { startTestServer } from './test-server';

/*
 * Helpers for tests that talk to the API over real HTTP as a browser or the SDK would.
 *
 *   const server = await startApiServer(testDb.handle);           // app + HTTP server
 *   const admin = await createUser(server.app, { role: 'admin' }); // straight into the database
 *   const client = createApiClient(server.url, { cookie: admin.cookie });
 *   await client.trpc.auth.me.query();
 *   const token = await createApiToken(server.app, admin.user.id);
 *   createApiClient(server.url, { token }).trpc.auth.me.query();
 */

/** A valid configuration for tests: the defaults, quiet logs, and any overrides. */
/**
 * A test app's configuration. With TEST_REDIS_URL set, its shared state is in that Redis, under a
 * prefix of its own, so apps of parallel tests never see each other's limits, throttles or logs.
 */
export function testConfig(overrides: Partial<Env> = {}): Env {
	// Titles off: most tests count the provider calls of a turn; tests of titles turn them on.
	const parsed = parseEnv({
		LOG_LEVEL: 'silent',
		TITLE_MODEL: 'off',
		REDIS_URL: process.env.TEST_REDIS_URL,
		REDIS_PREFIX: `sbtest:${randomUUID().slice(0, 13)}:`
	});
	if (!parsed.ok) throw new Error(parsed.message);
	return { ...parsed.env, ...overrides };
}

/**
 * Writes what a test app noted of its tokens' last use, as shutdown does. Every file in a worker
 * shares one database, so a recorder left pending would write a minute later into another file's
 * test, and into the statements that test counts.
 */
export async function settleTokenUse(app: App): Promise<void> {
	await app.authRuntime.tokenUse.flush();
}

export type ApiServer = { app: App; url: string; close(): Promise<void> };

/**
 * The API (origin guard + tRPC, as handleApiRequest serves it) on a free port. `now` replaces the
 * auth clock (session expiry, throttle windows) so tests move time instead of sleeping.
 */
export async function startApiServer(
	database: DatabaseHandle,
	options: { config?: Partial<Env>; now?: () => Date } = {}
): Promise<ApiServer> {
	const app = createApp({ config: testConfig(options.config), database });
	if (options.now) configureAuth(app, { now: options.now });
	// As the built app serves it: tRPC on the lean route, the rest (attachment downloads) as SvelteKit would.
	const server = await startTestServer((request, address) => handleApiRequest(app, request, address), {
		nodeRoute: (req, res) => serveNodeRoute(app, req, res, leanSettings)
	});
	return {
		app,
		url: server.url,
		async close() {
			await server.close();
			await settleTokenUse(app);
		}
	};
}

export type ApiClientOptions = {
	/** A `name=value` Cookie header to start with (e.g. from createUser). */
	cookie?: string;
	/** An API token (or session token) sent as `Authorization: Bearer`. */
	token?: string;
	/** The Origin header sent with every call, like a browser; defaults to the server's origin, null omits it. */
	origin?: string | null;
	headers?: Record<string, string>;
};

export type ApiClient = {
	trpc: TRPCClient<AppRouter>;
	/** The session cookie as a `name=value` Cookie header, kept up to date from Set-Cookie. */
	readonly cookie: string | undefined;
	/** The raw Set-Cookie headers of the last response. */
	readonly lastSetCookies: string[];
	signUp(email: string, password: string, name?: string): Promise<string>;
	signIn(email: string, password: string): Promise<string>;
};

/** Reads our session cookie from Set-Cookie headers: its new value, null when cleared, undefined when absent. */
export function sessionFromSetCookie(setCookies: string[]): string | null | undefined {
	let result: string | null | undefined;
	for (const header of setCookies) {
		const [pair, ...attributes] = header.split(';').map((p) => p.trim());
		const index = pair.indexOf('=');
		if (pair.slice(0, index) !== SESSION_COOKIE) continue;
		const value = pair.slice(index + 1);
		const cleared = attributes.some((a) => /^max-age=0$/i.test(a));
		result = value && !cleared ? value : null;
	}
	return result;
}

/** A typed tRPC client with a one-cookie jar: what a signed-in browser tab is to the API. */
export function createApiClient(baseUrl: string, options: ApiClientOptions = {}): ApiClient {
	let cookie = options.cookie;
	let lastSetCookies: string[] = [];
	const origin = options.origin === undefined ? new URL(baseUrl).origin : options.origin;
	const trpc = createTRPCClient<AppRouter>({
		links: [
			httpBatchLink({
				url: `${baseUrl}/api/trpc`,
				transformer: superjson,
				maxItems: MAX_BATCH_SIZE,
				headers: () => ({
					...options.headers,
					...(origin ? { origin } : {}),
					...(cookie ? { cookie } : {}),
					...(options.token ? { authorization: `Bearer ${options.token}` } : {})
				}),
				fetch: async (url, init) => {
					const response = await fetch(url, init as RequestInit);
					lastSetCookies = response.headers.getSetCookie();
					const session = sessionFromSetCookie(lastSetCookies);
					if (session !== undefined) cookie = session ? `${SESSION_COOKIE}=${session}` : undefined;
					return response;
				}
			})
		]
	});
	const requireCookie = () => {
		if (!cookie) throw new Error('no session cookie was set');
		return cookie;
	};
	return {
		trpc,
		get cookie() {
			return cookie;
		},
		get lastSetCookies() {
			return lastSetCookies;
		},
		async signUp(email, password, name) {
			await trpc.auth.signUp.mutate({ email, password, name });
			return requireCookie();
		},
		async signIn(email, password) {
			await trpc.auth.signIn.mutate({ email, password });
			return requireCookie();
		}
	};
}

export type TestUser = {
	user: AuthUser;
	email: string;
	password: string;
	/** A signed-in session as a `name=value` Cookie header. */
	cookie: string;
	/** The same session's raw token (usable as a bearer too). */
	sessionToken: string;
};

let userCounter = 0;

/**
 * An account straight in the database, with a session: faster than signing up, and any role.
 * Nothing about first-admin applies here; pass `role: 'admin'` when you need one.
 */
export async function createUser(
	app: App,
	options: { email?: string; password?: string; name?: string; role?: UserRole } = {}
): Promise<TestUser> {
	const email = (options.email ?? `user${++userCounter}-${Date.now()}@example.test`).toLowerCase();
	const password = options.password ?? 'correct horse battery staple';
	const db = app.database.db;
	const row = await insertUser(db, {
		email,
		name: options.name ?? null,
		passwordHash: await hashPassword(password),
		role: options.role ?? 'member'
	});
	if (!row) throw new Error(`createUser: ${email} exists`);
	const session = await createSession(db, row.id, app.authRuntime.now());
	return {
		user: toAuthUser(row),
		email,
		password,
		cookie: `${SESSION_COOKIE}=${session.token}`,
		sessionToken: session.token
	};
}

/**
 * An API token for a user, as auth.tokens.create would make it (full scope, no expiry, any model
 * unless `options` narrow it). Returns the secret.
 */
export async function createApiToken(
	app: App,
	userId: string,
	name = 'test token',
	options: Omit<TokenCreateInput, 'name'> = {}
): Promise<string> {
	return (await app.users.createToken(userId, tokenCreateInput.parse({ name, ...options }))).token;
}

export type CallError = { code: string; message: string; status: number; retryAfterMs: number | null };

/** Awaits a call that must fail and returns its tRPC error code, message and HTTP status. */
export async function errorOf(promise: Promise<unknown>): Promise<CallError> {
	try {
		await promise;
	} catch (error) {
		if (error instanceof TRPCClientError) {
			const data = error.data as { code: string; httpStatus: number; retryAfterMs?: number | null };
			return {
				code: data.code,
				message: error.message,
				status: data.httpStatus,
				retryAfterMs: data.retryAfterMs ?? null
			};
		}
		throw error;
	}
	throw new Error('expected the call to fail');
}
