import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { MemoryAttemptLog, type AttemptLog } from '../auth/attempt-log';
import type { Env } from '../env-schema';
import { UserLimits, type UserLimiter } from '../generation/user-limits';
import type { SharedCooldowns } from '../providers/cooldown';
import { MemoryBus, RedisBus, type Bus } from './bus';
import { MemoryLeases, RedisLeases, type Leases } from './leases';
import { RedisAttemptLog } from './redis-attempt-log';
import { pingRedis, redisPair, type RedisHealth } from './redis-connection';
import { RedisCooldowns } from './redis-cooldowns';
import { RedisEventLog } from './redis-event-log';
import { RedisUserLimits } from './redis-user-limits';

/**
 * What processes must share to behave as one: the bus (stops, cache invalidation, cooldowns), the
 * leases of running answers, the users' limits, the sign-in throttles' counts, provider failure
 * counts and the answers' event logs. In-process for a single process (nothing to install); Redis
 * when REDIS_URL is set. Services use the interfaces and never ask which one runs.
 */
export type Cluster = {
	/** `shared`: state lives in Redis, other processes may run answers and hold limits. */
	mode: 'single' | 'shared';
	/** This process, as leases and logs name it. */
	owner: string;
	/** How long a lease outlives its holder's last heartbeat. */
	leaseTtlMs: number;
	bus: Bus;
	leases: Leases;
	limits: UserLimiter;
	attempts: AttemptLog;
	cooldowns?: SharedCooldowns;
	/** Every generation's events, readable from any process (shared mode only). */
	events?: RedisEventLog;
	/** Resolves once the bus hears other processes. */
	ready: Promise<void>;
	/** The shared store's health, for readiness checks; null when there is none (one process). */
	ping(): Promise<RedisHealth> | null;
	/** Stops this process's timers (heartbeats); the connections are the process's, closed at exit. */
	close(): void;
};

export type ClusterConfig = Pick<Env, 'REDIS_URL' | 'REDIS_PREFIX' | 'LEASE_TTL_MS'>;

export function createCluster(config: ClusterConfig, options: { retainLogMs: number }): Cluster {
	const owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
	if (!config.REDIS_URL) {
		return {
			mode: 'single',
			owner,
			bus: new MemoryBus(),
			leases: new MemoryLeases(),
			limits: new UserLimits(),
			attempts: new MemoryAttemptLog(),
			leaseTtlMs: config.LEASE_TTL_MS,
			ready: Promise.resolve(),
			ping: () => null,
			close: () => {}
		};
	}
	const { commands, subscriber } = redisPair(config.REDIS_URL);
	const prefix = config.REDIS_PREFIX;
	const bus = new RedisBus(commands, subscriber, `${prefix}bus`);
	const leases = new RedisLeases(commands, { prefix, ttlMs: config.LEASE_TTL_MS, owner });
	const limits = new RedisUserLimits(commands, { prefix, slotTtlMs: config.LEASE_TTL_MS });
	const events = new RedisEventLog(commands, {
		prefix,
		retainMs: options.retainLogMs,
		// A crashed writer's stream outlives its lease, so the sweeper can still read its text.
		idleTtlMs: Math.max(10 * config.LEASE_TTL_MS, 10 * 60_000),
		writerGraceMs: config.LEASE_TTL_MS
	});
	return {
		mode: 'shared',
		owner,
		bus,
		leases,
		limits,
		attempts: new RedisAttemptLog(commands, prefix),
		cooldowns: new RedisCooldowns(commands, bus, { prefix, owner }),
		events,
		leaseTtlMs: config.LEASE_TTL_MS,
		ready: bus.ready,
		ping: () => pingRedis(commands),
		close: () => {
			leases.close();
			limits.close();
			events.close();
		}
	};
}
