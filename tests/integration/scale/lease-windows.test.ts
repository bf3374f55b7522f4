import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import type { RequestEvent } from '@sveltejs/kit';
import { createApp, type App } from '$lib/server/app';
import { redisPair } from '$lib/server/cluster/redis-connection';
import { messages } from '$lib/server/db/schema';
import { LeaseSweeper, recoverInterruptedGenerations } from '$lib/server/services/recovery-service';
import { GET as healthz } from '../../../src/routes/healthz/+server';
import { testConfig } from '../../helpers/auth-client';
import { collectStream, useChatHarness } from '../../helpers/chat-harness';

/*
 * The moments when a live answer's lease is not in Redis although its process is alive: before its
 * run took the lease (the answer's row is already visible), and between a lapse and the next renewal.
 * A stop from another process, and another process's recovery and sweeper, must treat the answer as
 * alive then. `h.app` is process A; `b` is process B on the same database and Redis.
 */
const redisUrl = process.env.TEST_REDIS_URL;
// Far beyond each test: a lease deleted by the test stays deleted until the test writes it back.
const LEASE_TTL_MS = 60_000;

describe.skipIf(!redisUrl)('the lease windows of a live answer, with two processes', () => {
	const h = useChatHarness({ config: { LEASE_TTL_MS } });
	const redis = redisUrl ? new Redis(redisUrl) : null;
	let b: App;

	beforeEach(async () => {
		b = createApp({ config: h.config, database: h.app.database });
		await Promise.all([h.app.cluster.ready, b.cluster.ready]);
	});

	afterEach(async () => {
		await b.generations.stopAll();
		b.cluster.close();
	});

	afterAll(async () => {
		await redis?.quit();
	});

	const dropLease = (id: string) => redis!.del(`${h.config.REDIS_PREFIX}lease:${id}`);

	/** A long answer sent on A, with its first deltas already streamed. */
	async function runningOnA() {
		h.emulators.openai.script({ chunks: Array.from({ length: 400 }, (_, i) => `w${i} `), paceMs: 25 });
		const { user, client } = await h.member();
		const chat = await client.chats.create.mutate({ providerId: 'openai', modelId: 'gpt-4.1-mini' });
		const sent = await client.chats.send.mutate({ chatId: chat.id, content: 'Go' });
		await collectStream(client, sent.assistantMessageId, { take: 4 });
		return { userId: user.user.id, chatId: chat.id, id: sent.assistantMessageId };
	}

	it('a stop on B that overtakes the start of the run on A stops that run as it starts', async () => {
		const { user, client } = await h.member();
		const chat = await client.chats.create.mutate({ providerId: 'openai', modelId: 'gpt-4.1-mini' });
		// The answer's row is visible (so B can be asked to stop it) before A's run has started.
		const [row] = await h.app.database.db
			.insert(messages)
			.values({ chatId: chat.id, role: 'assistant', status: 'streaming', providerId: 'openai' })
			.returning();
		const heardOnA = new Promise<void>((resolve) =>
			h.app.cluster.bus.subscribe((m) => m.type === 'stop' && m.generationId === row.id && resolve())
		);
		expect(await b.chats.stop(user.user.id, row.id)).toEqual({ stopped: true });
		await heardOnA;
		h.emulators.openai.script({ chunks: Array.from({ length: 50 }, (_, i) => `w${i} `), paceMs: 20 });
		const candidates = await h.app.providers.candidates(
			{ providerId: 'openai', modelId: 'gpt-4.1-mini' },
			{ grant: null }
		);
		h.app.generations.start(
			{
				id: row.id,
				userId: user.user.id,
				chatId: chat.id,
				messageId: row.id,
				candidates,
				request: { messages: [{ role: 'user', content: 'Go' }] }
			},
			() => {}
		);
		expect(await h.app.generations.outcome(row.id)).toMatchObject({ status: 'stopped', text: '' });
		const stored = await b.chats.get(user.user.id, chat.id);
		expect(stored.messages.find((m) => m.id === row.id)).toMatchObject({ status: 'stopped' });
	});

	it('a stop on B while the lease of the answer running on A has lapsed stops it, keeping the partial', async () => {
		const answer = await runningOnA();
		await dropLease(answer.id);
		// Taken while the run is on A: a run that ended is no longer there to ask.
		const ending = h.app.generations.outcome(answer.id);
		const stopped = await b.chats.stop(answer.userId, answer.id);
		expect(stopped).toEqual({ stopped: true });
		const outcome = await ending;
		expect(outcome).toMatchObject({ status: 'stopped' });
		expect(outcome!.text.length).toBeGreaterThan(0);
		const stored = await b.chats.get(answer.userId, answer.chatId);
		expect(stored.messages.find((m) => m.id === answer.id)).toMatchObject({
			status: 'stopped',
			content: outcome!.text
		});
	});

	it("B's boot recovery and sweeper leave an answer alone whose lease lapsed until A renewed it", async () => {
		const answer = await runningOnA();
		await dropLease(answer.id);
		// B starts now: its recovery fails nothing another process may own.
		expect(await recoverInterruptedGenerations(b.database.db, b.cluster)).toBe(0);
		const sweeper = new LeaseSweeper(b.database.db, b.cluster, LEASE_TTL_MS);
		// Passes as if the answer were older than a lease's life, so only the lease protects it.
		const t0 = Date.now() + LEASE_TTL_MS + 1;
		expect(await sweeper.sweep(t0)).toBe(0);
		// A's next renewal writes the lease again (what its heartbeat does), then it lapses once more.
		h.app.cluster.leases.hold(answer.id);
		expect(await sweeper.sweep(t0 + LEASE_TTL_MS / 2)).toBe(0);
		await dropLease(answer.id);
		expect(await sweeper.sweep(t0 + LEASE_TTL_MS)).toBe(0);
		const stored = await b.chats.get(answer.userId, answer.chatId);
		expect(stored.messages.find((m) => m.id === answer.id)).toMatchObject({ status: 'streaming' });
		// Missing for a whole lease's life: now it is taken for dead, as after a crash.
		expect(await sweeper.sweep(t0 + 2 * LEASE_TTL_MS)).toBe(1);
		await h.app.generations.stopAll();
	});

	it('/healthz reports Redis: ready while it answers', async () => {
		const event = { locals: { app: b, user: null } } as unknown as Parameters<typeof healthz>[0] &
			RequestEvent;
		const response = await healthz(event);
		expect(response.status).toBe(200);
		expect(await response.json()).toMatchObject({ ok: true, database: { ok: true }, redis: { ok: true } });
	});
});

describe('/healthz with REDIS_URL set and Redis down', () => {
	const h = useChatHarness();

	it('answers 503 with the reason, and never the URL or its password', async () => {
		// Nothing listens on port 1; the password must not leak into the answer.
		const url = 'redis://:hunter2-secret@127.0.0.1:1';
		const app = createApp({ config: testConfig({ REDIS_URL: url }), database: h.app.database });
		// Boot would stop at this; here the app is only asked for its health.
		app.cluster.ready.catch(() => {});
		const event = { locals: { app, user: null } } as unknown as Parameters<typeof healthz>[0] & RequestEvent;
		try {
			const response = await healthz(event);
			expect(response.status).toBe(503);
			const body = await response.json();
			expect(body).toMatchObject({ ok: false, database: { ok: true }, redis: { ok: false } });
			expect(body.redis.reason).toEqual(expect.any(String));
			expect(JSON.stringify(body)).not.toMatch(/hunter2|127\.0\.0\.1/);
		} finally {
			app.cluster.close();
			const pair = redisPair(url);
			pair.commands.disconnect();
			pair.subscriber.disconnect();
		}
	});
});
