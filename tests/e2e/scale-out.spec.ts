import { expect, test } from '@playwright/test';
import type { StreamEvent } from '../../src/lib/schemas/stream-events';
import { createTrpcClient } from '../../src/lib/sdk/client';
import { appPort, emulatorBaseUrl } from './support/env';
import { chatRequests, numberedChunks, resetEmulators, script } from './support/emulators';
import { startRedisServer, type RedisServer } from './support/redis-server';
import {
	adminOf,
	freshDatabase,
	killSpawnedApps,
	spawnApp,
	spawnedPort,
	trpcOk,
	type AppDatabase,
	type SpawnedApp
} from './support/spawned-app';

/*
 * Two built app processes, A and B, on one Postgres and one Redis, as `WORKERS=2` or two replicas
 * run them: everything live must behave as in one process, proven through the public API only.
 * Postgres is required (the processes share data through it): without DATABASE_URL it is skipped.
 */
test.describe.configure({ mode: 'serial' });
test.setTimeout(180_000);
test.skip(!process.env.DATABASE_URL, 'several processes need PostgreSQL (DATABASE_URL)');

const LEASE_TTL_MS = 2_000;
const MODEL = { providerId: 'openai', modelId: 'gpt-4o-mini' };

type Tracked = { id: string; event: StreamEvent };
type Client = ReturnType<typeof createTrpcClient>;

let redis: RedisServer;
let database: AppDatabase;
let a: SpawnedApp;
let b: SpawnedApp;
let admin: { cookie: string; token: string };
let onA: Client;
let onB: Client;

function startApp(offset: number): Promise<SpawnedApp> {
	return spawnApp({
		port: spawnedPort(offset),
		database,
		env: { REDIS_URL: redis.url, LEASE_TTL_MS: String(LEASE_TTL_MS), SHUTDOWN_GRACE_MS: '0' }
	});
}

test.beforeAll(async () => {
	redis = await startRedisServer(appPort + 25);
	database = await freshDatabase('scale_out');
	// One after the other: the second finds the migrations done.
	a = await startApp(0);
	b = await startApp(1);
	admin = await adminOf(a);
	await trpcOk(
		a.origin,
		'providers.update',
		{
			providerId: 'openai',
			enabled: true,
			baseUrl: emulatorBaseUrl('openai'),
			apiKey: 'sk-e2e-scale-key-0001',
			settings: { allowPrivateNetwork: true },
			isDefault: true
		},
		{ token: admin.token }
	);
	onA = createTrpcClient({ url: a.origin, token: admin.token });
	onB = createTrpcClient({ url: b.origin, token: admin.token });
});

test.afterAll(async () => {
	killSpawnedApps();
	await redis?.stop();
});

test.beforeEach(async () => {
	await resetEmulators();
});

/** Sends a message on `client`'s process; the answer runs there. */
async function send(client: Client, content = 'Count for me') {
	const chat = await client.chats.create.mutate({ ...MODEL });
	return client.chats.send.mutate({ chatId: chat.id, content, ...MODEL });
}

/** Watches an answer through `client`'s process, collecting events until the end or `stop()`. */
function watch(client: Client, messageId: string, lastEventId?: string) {
	const events: Tracked[] = [];
	let failure: unknown = null;
	let settle!: () => void;
	const ended = new Promise<void>((resolve) => (settle = resolve));
	const subscription = client.chats.stream.subscribe(
		{ messageId, lastEventId },
		{
			onData: ({ id, data }) => {
				events.push({ id, event: data });
				if (data.type === 'done' || data.type === 'error') {
					subscription.unsubscribe();
					settle();
				}
			},
			onError: (error) => {
				failure = error;
				subscription.unsubscribe();
				settle();
			}
		}
	);
	const deltas = () => events.filter((e) => e.event.type === 'delta').length;
	return {
		events,
		ended,
		deltas,
		failure: () => failure,
		stop: () => subscription.unsubscribe()
	};
}

/** Ids strictly increasing: nothing twice, nothing out of order (runs of deltas may share a frame). */
const increasing = (events: Tracked[]) =>
	events.every((e, i) => i === 0 || Number(e.id) > Number(events[i - 1].id));

const textOf = (events: Tracked[]) =>
	events.map((e) => (e.event.type === 'delta' ? e.event.text : '')).join('');

async function messageOn(client: Client, chatId: string, messageId: string) {
	const chat = await client.chats.get.query({ chatId });
	return chat.messages.find((m) => m.id === messageId)!;
}

test('an answer running on A is watched live and in order on B', async () => {
	const chunks = numberedChunks(60);
	await script('openai', { chunks, paceMs: 60 });
	const sent = await send(onA);
	const onBWatcher = watch(onB, sent.assistantMessageId);
	await expect
		.poll(() => onBWatcher.deltas(), { timeout: 30_000, intervals: [50] })
		.toBeGreaterThanOrEqual(3);
	// Live: B has tokens while the answer is still being written on A.
	expect((await messageOn(onA, sent.chatId, sent.assistantMessageId)).status).toBe('streaming');
	await onBWatcher.ended;
	const { events } = onBWatcher;
	expect(events[0].id).toBe('1');
	expect(increasing(events)).toBe(true);
	expect(events[0].event.type).toBe('start');
	expect(textOf(events)).toBe(chunks.join(''));
	expect(events.at(-1)?.event).toMatchObject({ type: 'done', finishReason: 'stop' });
});

test('a watcher on B that reconnects to A with lastEventId gets no gap and no duplicate', async () => {
	const chunks = numberedChunks(24);
	await script('openai', { chunks, paceMs: 60 });
	const sent = await send(onA);
	const first = watch(onB, sent.assistantMessageId);
	await expect.poll(() => first.deltas(), { timeout: 30_000, intervals: [50] }).toBeGreaterThanOrEqual(5);
	first.stop();
	const seen = [...first.events];
	const rest = watch(onA, sent.assistantMessageId, seen.at(-1)!.id);
	await rest.ended;
	const all = [...seen, ...rest.events];
	expect(increasing(all)).toBe(true);
	expect(textOf(all)).toBe(chunks.join(''));
	expect(all.at(-1)?.event.type).toBe('done');
});

test('stop on B stops the answer running on A and keeps what streamed', async () => {
	const chunks = numberedChunks(80);
	await script('openai', { chunks, paceMs: 60 });
	const sent = await send(onA);
	const watcher = watch(onA, sent.assistantMessageId);
	await expect.poll(() => watcher.deltas(), { timeout: 30_000, intervals: [50] }).toBeGreaterThanOrEqual(4);
	expect(await onB.chats.stop.mutate({ messageId: sent.assistantMessageId })).toEqual({ stopped: true });
	await watcher.ended;
	expect(watcher.events.at(-1)?.event).toMatchObject({ type: 'done', finishReason: 'aborted' });
	const stored = await messageOn(onB, sent.chatId, sent.assistantMessageId);
	expect(stored.status).toBe('stopped');
	expect(stored.content).toBe(textOf(watcher.events));
	expect(stored.content.length).toBeGreaterThan(0);
	expect(chunks.join('').startsWith(stored.content)).toBe(true);
});

test('four concurrent sends by one user split across A and B get exactly one refusal', async () => {
	await script('openai', { chunks: numberedChunks(60), paceMs: 60, persist: true });
	const chats = await Promise.all([0, 1, 2, 3].map(() => onA.chats.create.mutate({ ...MODEL })));
	const clients = [onA, onB, onA, onB];
	const results = await Promise.allSettled(
		chats.map((chat, i) => clients[i].chats.send.mutate({ chatId: chat.id, content: 'Go', ...MODEL }))
	);
	const refused = results.filter((r) => r.status === 'rejected');
	expect(refused).toHaveLength(1);
	expect(String((refused[0] as PromiseRejectedResult).reason)).toMatch(/already have 3 answers/);
	for (const result of results) {
		if (result.status === 'fulfilled')
			await onB.chats.stop.mutate({ messageId: result.value.assistantMessageId });
	}
});

test('a provider key changed on A is used by B within a second', async () => {
	await trpcOk(
		a.origin,
		'providers.update',
		{ providerId: 'openai', apiKey: 'sk-e2e-scale-key-0002' },
		{
			token: admin.token
		}
	);
	await expect
		.poll(async () => (await onB.providers.list.query()).find((p) => p.id === 'openai')?.keyHint, {
			timeout: 1_000,
			intervals: [50]
		})
		.toBe('0002');
	await script('openai', { chunks: ['ok'] });
	const sent = await send(onB);
	await watch(onB, sent.assistantMessageId).ended;
	const [request] = await chatRequests('openai');
	expect(request.headers.authorization).toBe('Bearer sk-e2e-scale-key-0002');
});

test("a revoked token's subscription on B ends within a second", async () => {
	const { token, id } = await trpcOk<{ token: string; id: string }>(
		a.origin,
		'auth.tokens.create',
		{ name: 'short-lived' },
		{ cookie: admin.cookie }
	);
	await script('openai', { chunks: numberedChunks(80), paceMs: 60 });
	const sent = await send(onA);
	const watcher = watch(createTrpcClient({ url: b.origin, token }), sent.assistantMessageId);
	await expect.poll(() => watcher.deltas(), { timeout: 30_000, intervals: [50] }).toBeGreaterThanOrEqual(2);
	await trpcOk(a.origin, 'auth.tokens.revoke', { id }, { cookie: admin.cookie });
	await expect.poll(() => watcher.failure(), { timeout: 1_000, intervals: [50] }).not.toBeNull();
	expect(String(watcher.failure())).toMatch(/session ended/i);
	await onA.chats.stop.mutate({ messageId: sent.assistantMessageId });
});

test('killing A mid-answer fails its answer with the text so far once the lease expires; B is untouched', async () => {
	const chunks = numberedChunks(80);
	await script('openai', { chunks, paceMs: 80 }, { chunks: numberedChunks(60, 'b'), paceMs: 80 });
	const onADoomed = await send(onA);
	const onBAlive = await send(onB);
	const doomedWatcher = watch(onB, onADoomed.assistantMessageId);
	const aliveWatcher = watch(onB, onBAlive.assistantMessageId);
	await expect
		.poll(() => doomedWatcher.deltas(), { timeout: 30_000, intervals: [50] })
		.toBeGreaterThanOrEqual(4);
	await a.stop('SIGKILL');
	// B's watcher of the dead answer gets an end, not a wait, once the lease is gone.
	await doomedWatcher.ended;
	expect(doomedWatcher.events.at(-1)?.event.type).toBe('error');
	await expect
		.poll(async () => (await messageOn(onB, onADoomed.chatId, onADoomed.assistantMessageId)).status, {
			timeout: 20_000
		})
		.toBe('error');
	const doomed = await messageOn(onB, onADoomed.chatId, onADoomed.assistantMessageId);
	expect(doomed.error).toMatchObject({ code: 'aborted' });
	expect(doomed.content).toBe(textOf(doomedWatcher.events));
	expect(doomed.content.length).toBeGreaterThan(0);
	await aliveWatcher.ended;
	expect(aliveWatcher.events.at(-1)?.event).toMatchObject({ type: 'done', finishReason: 'stop' });
	const alive = await messageOn(onB, onBAlive.chatId, onBAlive.assistantMessageId);
	expect(alive).toMatchObject({ status: 'complete', content: numberedChunks(60, 'b').join('') });
});
