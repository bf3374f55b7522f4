import { randomUUID } from 'node:crypto';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { createApp, type App } from '$lib/server/app';
import { insertMessages } from '$lib/server/db/repositories/message-repository';
import { chats } from '$lib/server/db/schema';
import type { Env } from '$lib/server/env-schema';
import { ProviderError } from '$lib/server/providers/types';
import { LeaseSweeper } from '$lib/server/services/recovery-service';
import { createUser, testConfig } from '../../helpers/auth-client';
import { useChatHarness, collectStream } from '../../helpers/chat-harness';
import { useTestDatabase } from '../../helpers/test-database';

/*
 * Two apps in one test process stand for two processes: they share a database and, through
 * TEST_REDIS_URL, one Redis under one prefix, exactly as two processes with the same REDIS_URL do.
 * (tests/e2e/scale-out.spec.ts proves the same with two built processes, through the public API.)
 */
const redisUrl = process.env.TEST_REDIS_URL;

describe.skipIf(!redisUrl)('state shared by two processes through Redis', () => {
	const testDb = useTestDatabase();
	let config: Env;
	let a: App;
	let b: App;
	const redis = redisUrl ? new Redis(redisUrl) : null;

	beforeEach(async () => {
		config = testConfig({ LEASE_TTL_MS: 1_000 });
		a = createApp({ config, database: testDb.handle });
		b = createApp({ config, database: testDb.handle });
		await Promise.all([a.cluster.ready, b.cluster.ready]);
	});

	afterAll(async () => {
		await redis?.quit();
	});

	it("counts one user's concurrent answers across processes, with the same message", async () => {
		const user = randomUUID();
		const slots = [
			await a.generations.reserve(user),
			await b.generations.reserve(user),
			await a.generations.reserve(user)
		];
		await expect(b.generations.reserve(user)).rejects.toMatchObject({
			code: 'too_many_requests',
			message: 'You already have 3 answers being written. Wait for one to finish.',
			retryAfterMs: 1_000
		});
		slots[0]();
		const again = await b.generations.reserve(user);
		again();
		slots.slice(1).forEach((release) => release());
	});

	it("counts one user's requests per minute across processes, with the wait", async () => {
		const user = randomUUID();
		const caps = { maxConcurrent: 10, perMinute: 4 };
		for (const app of [a, b, a, b]) (await app.generations.reserve(user, caps))();
		const refused = await a.generations.reserve(user, caps).catch((error: unknown) => error);
		expect(refused).toMatchObject({ code: 'too_many_requests' });
		const wait = (refused as { retryAfterMs: number }).retryAfterMs;
		expect(wait).toBeGreaterThan(50_000);
		expect(wait).toBeLessThanOrEqual(60_000);
	});

	it('throttles sign-in failures counted on either process', async () => {
		const attempt = { email: `${randomUUID()}@example.test`, address: '203.0.113.9', device: null };
		const now = Date.now();
		for (let i = 0; i < 5; i++) {
			const app = i % 2 === 0 ? a : b;
			await app.authRuntime.throttle.beginSignIn(attempt, now + i);
		}
		await expect(b.authRuntime.throttle.beginSignIn(attempt, now + 10)).rejects.toMatchObject({
			code: 'too_many_requests'
		});
	});

	it('a cooldown started by failures on both processes is seen by both', async () => {
		const overloaded = () =>
			new ProviderError({ code: 'overloaded', message: 'busy', providerId: 'openai', retryable: true });
		a.providers.reportFailure('openai', overloaded());
		b.providers.reportFailure('openai', overloaded());
		a.providers.reportFailure('openai', overloaded());
		await expect.poll(() => b.providers.isCoolingDown('openai'), { timeout: 1_000 }).toBe(true);
		expect(a.providers.isCoolingDown('openai')).toBe(true);
		b.providers.reportSuccess('openai');
		await expect.poll(() => a.providers.isCoolingDown('openai'), { timeout: 1_000 }).toBe(false);
	});

	it('the sweeper fails only answers whose lease expired, keeping the text streamed', async () => {
		const user = await createUser(a);
		const [chat] = await a.database.db.insert(chats).values({ userId: user.user.id, title: 't' }).returning();
		const old = new Date(Date.now() - 60_000);
		const [orphan, owned] = await insertMessages(a.database.db, [
			{ chatId: chat.id, role: 'assistant', status: 'streaming', content: 'saved', createdAt: old },
			{ chatId: chat.id, role: 'assistant', status: 'streaming', content: 'live', createdAt: old }
		]);
		// The orphan's process streamed more than it saved before it died.
		const sink = a.cluster.events!.sink(orphan.id, user.user.id);
		sink.append(1, { type: 'start', messageId: orphan.id, providerId: 'openai', modelId: 'm' });
		sink.append(2, { type: 'delta', text: 'saved and ' });
		sink.append(3, { type: 'delta', text: 'more' });
		await sink.drain();
		b.cluster.leases.hold(owned.id);
		const sweeper = new LeaseSweeper(a.database.db, a.cluster, config.LEASE_TTL_MS);
		// The first pass only notes the missing lease; a lease's life later it is taken for dead.
		const now = Date.now();
		expect(await sweeper.sweep(now)).toBe(0);
		expect(await sweeper.sweep(now + config.LEASE_TTL_MS)).toBe(1);
		const stored = await b.chats.get(user.user.id, chat.id);
		const byId = new Map(stored.messages.map((m) => [m.id, m]));
		expect(byId.get(orphan.id)).toMatchObject({
			status: 'error',
			content: 'saved and more',
			error: { code: 'aborted' }
		});
		expect(byId.get(owned.id)).toMatchObject({ status: 'streaming', content: 'live' });
		await b.cluster.leases.release(owned.id);
	});
});

describe('auth changes end open subscriptions at once', () => {
	// A check interval far beyond the test: only the announcement can end the subscription in time.
	const h = useChatHarness({ generation: { watcherAuthCheckMs: 600_000 } });

	it("a role change ends the user's open stream with UNAUTHORIZED", async () => {
		h.emulators.openai.script({ chunks: Array.from({ length: 200 }, (_, i) => `w${i} `), paceMs: 50 });
		const { user, client } = await h.member();
		const chat = await client.chats.create.mutate({ providerId: 'openai', modelId: 'gpt-4.1-mini' });
		const sent = await client.chats.send.mutate({ chatId: chat.id, content: 'Go' });
		const watching = collectStream(client, sent.assistantMessageId).catch((error: unknown) => error);
		await expect.poll(() => h.app.subscriptions.count, { timeout: 10_000 }).toBe(1);
		await h.client.users.update.mutate({ userId: user.user.id, role: 'admin' });
		expect(String(await watching)).toMatch(/session ended/i);
		await h.app.generations.stopAll();
	});
});
