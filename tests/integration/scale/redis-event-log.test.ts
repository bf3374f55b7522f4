import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { RedisEventLog } from '$lib/server/cluster/redis-event-log';
import { doneEvent } from '../../helpers/stream-events';

/* The shared event log's plumbing against a real Redis: batched writes, reused reader connections. */
const redisUrl = process.env.TEST_REDIS_URL;

describe.skipIf(!redisUrl)('the shared event log in Redis', () => {
	const redis = redisUrl ? new Redis(redisUrl) : null;
	const prefix = `sbtest:${randomUUID().slice(0, 13)}:`;
	const log = new RedisEventLog(redis!, {
		prefix,
		retainMs: 60_000,
		idleTtlMs: 60_000,
		writerGraceMs: 1_000
	});

	afterAll(async () => {
		log.close();
		await redis?.quit();
	});

	async function readAll(id: string) {
		const seen: string[] = [];
		for await (const logged of log.read(id, 0, new AbortController().signal, async () => true)) {
			seen.push(`${logged.id}:${logged.event.type === 'delta' ? logged.event.text : logged.event.type}`);
		}
		return seen;
	}

	const readerConnections = async () =>
		String(await redis!.client('LIST'))
			.split('\n')
			.filter((line) => line.includes('name=switchboard-reader')).length;

	it('stores the events several answers append in one turn, each under its own ids, and reuses readers', async () => {
		const ids = [randomUUID(), randomUUID()];
		const sinks = ids.map((id) => log.sink(id, 'user-1'));
		for (const [i, sink] of sinks.entries()) {
			sink.append(1, { type: 'start', messageId: ids[i], providerId: 'p', modelId: 'm' });
			sink.append(2, { type: 'delta', text: `a${i}` });
			sink.append(3, { type: 'delta', text: `b${i}` });
		}
		sinks[1].append(4, doneEvent());
		await Promise.all(sinks.map((sink) => sink.drain()));
		expect(await log.ownerOf(ids[0])).toBe('user-1');
		expect(await log.streamedText(ids[0])).toBe('a0b0');
		sinks[0].append(4, doneEvent());
		await sinks[0].drain();

		const before = await readerConnections();
		expect(await readAll(ids[0])).toEqual(['1:start', '3:a0b0', '4:done']);
		expect(await readAll(ids[1])).toEqual(['1:start', '3:a1b1', '4:done']);
		// The second read ran on the connection the first one left open.
		expect((await readerConnections()) - before).toBe(1);
	});
});
