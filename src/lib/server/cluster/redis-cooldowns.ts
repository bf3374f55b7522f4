import type { CooldownRule, SharedCooldowns } from '../providers/cooldown';
import type { Bus } from './bus';
import type { Redis } from './redis-connection';

/*
 * Counts a failure and, at the threshold, starts the cooldown and clears the count, in one atomic
 * step: of several processes failing at once exactly one starts it.
 */
const RECORD = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]))
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then
	redis.call('DEL', KEYS[1])
	return tonumber(ARGV[3])
end
return -1
`;

/** Provider failure counts in Redis; cooldowns announced to every process over the bus. */
export class RedisCooldowns implements SharedCooldowns {
	private sequence = 0;

	constructor(
		private readonly redis: Redis,
		private readonly bus: Bus,
		private readonly options: { prefix: string; owner: string }
	) {}

	private key(providerId: string) {
		return `${this.options.prefix}cooldown:${providerId}`;
	}

	async recordFailure(providerId: string, rule: CooldownRule): Promise<number | null> {
		const member = `${this.options.owner}:${++this.sequence}`;
		const started = (await this.redis.eval(
			RECORD,
			1,
			this.key(providerId),
			rule.threshold,
			rule.windowMs,
			rule.cooldownMs,
			member
		)) as number;
		if (started < 0) return null;
		await this.bus.publish({ type: 'cooldown', providerId, forMs: started });
		return started;
	}

	async clear(providerId: string): Promise<void> {
		await this.redis.del(this.key(providerId));
		await this.bus.publish({ type: 'cooldown', providerId, forMs: 0 });
	}
}
