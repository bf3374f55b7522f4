import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import {
	createTRPCClient,
	httpBatchLink,
	httpSubscriptionLink,
	splitLink,
	type TRPCClient
} from '@trpc/client';
import { EventSource } from 'eventsource';
import superjson from 'superjson';
import { MAX_BATCH_SIZE } from '../../src/lib/schemas/api-limits';
import type { StreamEvent } from '../../src/lib/schemas/stream-events';
import { createApp, type App } from '../../src/lib/server/app';
import type { Env } from '../../src/lib/server/env-schema';
import { handleApiRequest } from '../../src/lib/server/http/api-handler';
import { serveNodeRoute } from '../../src/lib/server/http/node-routes';
import { leanSettings } from './lean-route';
import type { GenerationSettings } from '../../src/lib/server/services/generation-service';
import type { AppRouter } from '../../src/lib/server/trpc/router';
import { startEmulators, type Emulators } from '../emulators';
import { createUser, settleTokenUse, testConfig, type TestUser } from './auth-client';
import { useTestDatabase } from './test-database';
import { waitFor } from './wait-for';
import { startTestServer, type TestServer } from './test-server';

export type Client = TRPCClient<AppRouter>;

/** A browser-like client: cookie and Origin on every call, SSE for subscriptions. */
export function clientFor(baseUrl: string, user: Pick<TestUser, 'cookie'>): Client {
	const url = `${baseUrl}/api/trpc`;
	return createTRPCClient<AppRouter>({
		links: [
			splitLink({
				condition: (op) => op.type === 'subscription',
				true: httpSubscriptionLink({
					url,
					transformer: superjson,
					EventSource,
					eventSourceOptions: () => ({
						fetch: (input, init) =>
							fetch(input, { ...init, headers: { ...(init?.headers ?? {}), cookie: user.cookie } })
					})
				}),
				false: httpBatchLink({
					url,
					transformer: superjson,
					maxItems: MAX_BATCH_SIZE,
					headers: () => ({ cookie: user.cookie, origin: baseUrl })
				})
			})
		]
	});
}

export type Received = { id: string; event: StreamEvent };

/**
 * Subscribes to one generation and collects its events until `done`/`error`, or until `take`
 * events arrived (then it unsubscribes, like a closed tab).
 */
export function collectStream(
	client: Client,
	messageId: string,
	options: { lastEventId?: string; take?: number; completion?: boolean; awaitStart?: boolean } = {}
): Promise<Received[]> {
	return new Promise((resolve, reject) => {
		const received: Received[] = [];
		const input = options.completion
			? { generationId: messageId, lastEventId: options.lastEventId, awaitStart: options.awaitStart }
			: { messageId, lastEventId: options.lastEventId, awaitStart: options.awaitStart };
		const handlers = {
			onData(data: { id: string; data: StreamEvent }) {
				received.push({ id: data.id, event: data.data });
				const end = data.data.type === 'done' || data.data.type === 'error';
				if (end || received.length === options.take) {
					subscription.unsubscribe();
					resolve(received);
				}
			},
			onError(error: unknown) {
				subscription.unsubscribe();
				reject(error);
			}
		};
		const subscription = options.completion
			? client.completions.stream.subscribe(input as { generationId: string }, handlers)
			: client.chats.stream.subscribe(input as { messageId: string }, handlers);
	});
}

export const textOf = (events: Received[]) =>
	events.map((r) => (r.event.type === 'delta' ? r.event.text : '')).join('');

export type Harness = {
	readonly app: App;
	readonly url: string;
	readonly emulators: Emulators;
	readonly admin: TestUser;
	/** The admin's browser-like client. */
	readonly client: Client;
	member(): Promise<{ user: TestUser; client: Client }>;
	/** Provider settings pointing at the emulators. */
	readonly config: Env;
};

/**
 * An app on the test database with all three providers pointed at fresh emulators, an admin
 * signed in, and the API on real HTTP. New app per test (so cooldowns and limits start clean).
 */
export function useChatHarness(
	options: { config?: Partial<Env>; generation?: Partial<GenerationSettings> } = {}
): Harness {
	const testDb = useTestDatabase();
	const state: {
		emulators?: Emulators;
		app?: App;
		server?: TestServer;
		admin?: TestUser;
		client?: Client;
		config?: Env;
	} = {};
	beforeAll(async () => {
		state.emulators = await startEmulators();
	});
	beforeEach(async () => {
		const emulators = state.emulators!;
		emulators.reset();
		state.config = testConfig({
			OPENAI_API_KEY: 'sk-test-openai-0000000000000001',
			OPENAI_BASE_URL: emulators.openai.url,
			ANTHROPIC_API_KEY: 'sk-ant-test-000000000000002',
			ANTHROPIC_BASE_URL: emulators.anthropic.url,
			OLLAMA_HOST: emulators.ollama.url,
			PROVIDER_MAX_RETRIES: 0,
			PROVIDER_TIMEOUT_MS: 3_000,
			...options.config
		});
		state.app = createApp({
			config: state.config,
			database: testDb.handle,
			generation: { flushIntervalMs: 50, ...options.generation }
		});
		const app = state.app;
		// As the built app serves it: tRPC on the lean route, the rest (attachment downloads) as SvelteKit would.
		state.server = await startTestServer((request, address) => handleApiRequest(app, request, address), {
			nodeRoute: (req, res) => serveNodeRoute(app, req, res, leanSettings)
		});
		state.admin = await createUser(app, { role: 'admin' });
		state.client = clientFor(state.server.url, state.admin);
	});
	afterEach(async () => {
		await state.app?.generations.stopAll();
		await state.server?.close();
		if (state.app) await settleTokenUse(state.app);
	});
	afterAll(async () => {
		await state.emulators?.close();
	});
	return {
		get app() {
			return state.app!;
		},
		get url() {
			return state.server!.url;
		},
		get emulators() {
			return state.emulators!;
		},
		get admin() {
			return state.admin!;
		},
		get client() {
			return state.client!;
		},
		get config() {
			return state.config!;
		},
		async member() {
			const user = await createUser(state.app!, { role: 'member' });
			return { user, client: clientFor(state.server!.url, user) };
		}
	};
}

/**
 * Opens a stream that waits for its send or completion start (`awaitStart`) and resolves once the
 * server holds it, before anything is sent. Wrapped: an async function returning the collecting
 * promise itself would wait for the stream's end.
 */
export async function watchBeforeStart(
	app: App,
	client: Client,
	id: string,
	options: { completion?: boolean } = {}
): Promise<{ watching: Promise<Received[]> }> {
	const before = app.starts.waiting;
	const watching = collectStream(client, id, { ...options, awaitStart: true });
	// Its outcome is asserted by the caller; a rejection must not go unhandled meanwhile.
	watching.catch(() => {});
	await waitFor(() => app.starts.waiting > before);
	return { watching };
}
