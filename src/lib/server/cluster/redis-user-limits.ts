import { randomUUID } from 'node:crypto';
import { describeError, log } from '../log';
import {
	CONCURRENT_RETRY_MS,
	type SlotResult,
	type UserCaps,
	type UserLimiter
} from '../generation/user-limits';
import type { Redis } from './redis-connection';

/*
 * One atomic step per acquire (a Lua script runs alone on the server), on Redis's clock: two
 * processes asking at once for a user's last slot cannot both get it. A slot is a member of the
 * user's "running" set that expires `slotTtlMs` after its holder's last heartbeat, so a crashed
 * process gives its slots back by itself; the rate window is a set of the minute's start times.
 */
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return {0, tonumber(ARGV[5]), 'concurrent'} end
local windowStart = now - 60000
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', windowStart)
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[3]) then
	local oldest = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
	return {0, math.max(1, tonumber(oldest[2]) - windowStart), 'rate'}
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), ARGV[1])
redis.call('ZADD', KEYS[2], now, ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('PEXPIRE', KEYS[2], 60000)
return {1, 0, ''}
`;

const RENEW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`;

export class RedisUserLimits implements UserLimiter {
	/** Slots this process holds: token -> the user's running-set key. */
	private readonly held = new Map<string, string>();
	private readonly timer: ReturnType<typeof setInterval>;

	constructor(
		private readonly redis: Redis,
		private readonly options: { prefix: string; slotTtlMs: number }
	) {
		this.timer = setInterval(() => this.renew(), Math.max(100, Math.floor(options.slotTtlMs / 3)));
		this.timer.unref();
	}

	async acquire(userId: string, caps: UserCaps): Promise<SlotResult> {
		const token = randomUUID();
		const running = `${this.options.prefix}limits:running:${userId}`;
		const rate = `${this.options.prefix}limits:rate:${userId}`;
		const [ok, retryAfterMs, reason] = (await this.redis.eval(
			ACQUIRE,
			2,
			running,
			rate,
			token,
			caps.maxConcurrent,
			caps.perMinute,
			this.options.slotTtlMs,
			CONCURRENT_RETRY_MS
		)) as [number, number, string];
		if (ok !== 1) {
			return { ok: false, reason: reason === 'rate' ? 'rate' : 'concurrent', retryAfterMs };
		}
		this.held.set(token, running);
		let released = false;
		return {
			ok: true,
			release: () => {
				if (released) return;
				released = true;
				this.held.delete(token);
				void this.redis
					.zrem(running, token)
					.catch((error: unknown) => log.warn('could not release a slot', { error: describeError(error) }));
			}
		};
	}

	close(): void {
		clearInterval(this.timer);
	}

	private renew(): void {
		if (this.held.size === 0) return;
		const pipeline = this.redis.pipeline();
		for (const [token, key] of this.held) pipeline.eval(RENEW, 1, key, token, this.options.slotTtlMs);
		void pipeline
			.exec()
			.catch((error: unknown) => log.warn('could not renew slots', { error: describeError(error) }));
	}
}
