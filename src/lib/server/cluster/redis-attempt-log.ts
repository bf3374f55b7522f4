import { randomUUID } from 'node:crypto';
import type { AttemptLog } from '../auth/attempt-log';
import type { Redis } from './redis-connection';

const FORGIVE = `
local found = redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[1], ARGV[1], 'LIMIT', 0, 1)
if found[1] then redis.call('ZREM', KEYS[1], found[1]) end
return 0
`;

/**
 * The throttles' attempt times as one sorted set per key, shared by every process. Each method is
 * one MULTI or one script, so attempts arriving at once on several processes all count.
 */
export class RedisAttemptLog implements AttemptLog {
	constructor(
		private readonly redis: Redis,
		private readonly prefix: string
	) {}

	private key(key: string) {
		return `${this.prefix}throttle:${key}`;
	}

	async record(key: string, at: number, windowMs: number): Promise<number[]> {
		const k = this.key(key);
		const results = await this.redis
			.multi()
			.zremrangebyscore(k, '-inf', at - windowMs)
			.zadd(k, at, `${at}:${randomUUID()}`)
			.zrange(k, '0', '-1', 'WITHSCORES')
			.pexpire(k, windowMs)
			.exec();
		const [error, listed] = results?.[2] ?? [new Error('the attempt was not recorded')];
		if (error) throw error;
		const flat = listed as string[];
		const times: number[] = [];
		for (let i = 1; i < flat.length; i += 2) times.push(Number(flat[i]));
		return times;
	}

	async forgive(key: string, at: number): Promise<void> {
		await this.redis.eval(FORGIVE, 1, this.key(key), at);
	}

	async clear(key: string): Promise<void> {
		await this.redis.del(this.key(key));
	}
}
