import http from 'node:http';
import superjson from 'superjson';
import { afterEach, describe, expect, it } from 'vitest';
import { chats, users } from '$lib/server/db/schema';
import { configureRequestLimits, requestLimiter } from '$lib/server/trpc/request-limits';
import { useApiServer } from '../../helpers/api-fixture';
import { createApiToken, createUser, errorOf } from '../../helpers/auth-client';

describe('request limits', () => {
	const server = useApiServer();
	const held: { abort(): void }[] = [];

	afterEach(() => {
		for (const controller of held.splice(0)) controller.abort();
	});

	/** One batched POST of `count` calls to `path`, each with `input`, as raw HTTP. */
	function batch(path: string, count: number, input: unknown, headers: Record<string, string> = {}) {
		const paths = Array.from({ length: count }, () => path).join(',');
		const body = Object.fromEntries(Array.from({ length: count }, (_, i) => [i, superjson.serialize(input)]));
		return fetch(`${server.url}/api/trpc/${paths}?batch=1`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', ...headers },
			body: JSON.stringify(body)
		});
	}

	it('refuses batches over 10 calls with 400 before running any of them', async () => {
		const signUps = await batch('auth.signUp', 30, {
			email: 'a@example.com',
			password: 'long enough password'
		});
		expect(signUps.status).toBe(400);
		expect(JSON.stringify(await signUps.json())).toContain('Batch call exceeds maximum size');
		expect(await server.testDb.handle.db.select().from(users)).toEqual([]);

		const user = await createUser(server.app);
		const creates = await batch(
			'chats.create',
			11,
			{},
			{ authorization: `Bearer ${await createApiToken(server.app, user.user.id)}` }
		);
		expect(creates.status).toBe(400);
		expect(await server.testDb.handle.db.select().from(chats)).toEqual([]);

		const queries = await fetch(
			`${server.url}/api/trpc/${Array(10).fill('auth.me').join(',')}?batch=1&input={}`
		);
		expect(queries.status).toBe(200);
	});

	it('our clients split many calls into batches the server accepts', async () => {
		const user = await createUser(server.app);
		const client = server.as(user);
		const answers = await Promise.all(Array.from({ length: 25 }, () => client.trpc.auth.me.query()));
		expect(answers.every((me) => me?.id === user.user.id)).toBe(true);
	});

	/**
	 * A POST whose body never ends: it holds a slot until destroyed (a slow or greedy client). Sent
	 * with node:http, which writes the head and the first byte at once, on a socket of its own.
	 */
	function hold(token: string): void {
		const request = http.request(`${server.url}/api/trpc/chats.create`, {
			method: 'POST',
			agent: false,
			headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }
		});
		request.on('error', () => {});
		// A procedure with input: tRPC reads the body only to parse the input.
		request.write('{');
		held.push({ abort: () => request.destroy() });
	}

	it('caps requests in flight per user: a greedy client waits, others are served', async () => {
		configureRequestLimits(server.app, { inFlightPerClient: 2 });
		const greedy = await createUser(server.app);
		const other = await createUser(server.app);
		const token = await createApiToken(server.app, greedy.user.id);
		const greedyClient = server.client({ token });
		// Counts the slots taken, so the test starts asking only once both held requests have theirs
		// (a question asked earlier could take a slot first and leave a held request refused).
		const limiter = requestLimiter(server.app);
		const counted = limiter.slots;
		let taken = 0;
		limiter.slots = {
			tryAcquire: async (key, limit) => {
				const ok = await counted.tryAcquire(key, limit);
				if (ok) taken++;
				return ok;
			},
			release: async (key) => {
				taken--;
				await counted.release(key);
			}
		};
		hold(token);
		hold(token);
		await expect.poll(() => taken, { timeout: 20_000 }).toBe(2);
		// Each try gives up after a few seconds, so one call stuck on a busy connection is retried.
		await expect
			.poll(
				async () =>
					(
						await errorOf(
							greedyClient.trpc.usage.summary.query(
								{ groupBy: 'day' },
								{ signal: AbortSignal.timeout(3_000) }
							)
						)
					).code,
				{ timeout: 25_000 }
			)
			.toBe('TOO_MANY_REQUESTS');
		const refused = await fetch(`${server.url}/api/trpc/auth.me`, {
			headers: { authorization: `Bearer ${token}`, 'x-request-id': 'refused-request-0001' }
		});
		expect(refused.status).toBe(429);
		expect(refused.headers.get('retry-after')).toBe('1');
		// Refused before tRPC had a context, and still quotable by its id.
		expect(refused.headers.get('x-request-id')).toBe('refused-request-0001');
		expect((await refused.json()).error.json).toMatchObject({
			message: 'Too many requests at once. Wait for some to finish.',
			data: { requestId: 'refused-request-0001' }
		});
		// Someone else is not affected.
		expect((await server.as(other).trpc.auth.me.query())?.id).toBe(other.user.id);
		// Finished (here: abandoned) requests give their slots back.
		for (const controller of held.splice(0)) controller.abort();
		await expect
			.poll(
				async () =>
					(await greedyClient.trpc.auth.me.query(undefined, { signal: AbortSignal.timeout(3_000) }))?.id,
				{
					timeout: 25_000
				}
			)
			.toBe(greedy.user.id);
	});
});
