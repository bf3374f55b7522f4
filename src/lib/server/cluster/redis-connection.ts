import { Redis } from 'ioredis';
import { AppError } from '../errors';
import { log } from '../log';

export type { Redis } from 'ioredis';

export type RedisPair = {
	/** Commands from every part of the app, pipelined by ioredis. */
	commands: Redis;
	/** Pub/sub only: a subscribed connection can do nothing else. */
	subscriber: Redis;
};

const pairs = new Map<string, RedisPair>();

/**
 * A Redis connection for shared live state. Commands queue while it (re)connects, so a Redis that
 * restarts delays requests instead of failing them; `maxRetriesPerRequest` bounds that wait, so a
 * Redis that stays away turns into errors rather than requests that hang.
 */
export function openRedis(url: string, name: string): Redis {
	const redis = new Redis(url, {
		connectionName: name,
		maxRetriesPerRequest: 3,
		// The INFO round trip ioredis sends by default only delays the first command.
		enableReadyCheck: false
	});
	// Said once per outage (ioredis repeats it at every reconnect attempt), by code: the error's
	// text names the address, and the URL it came from can hold a password.
	let down = false;
	redis.on('error', (error: { code?: unknown }) => {
		if (down) return;
		down = true;
		log.warn('Redis is unreachable; retrying', { connection: name, code: String(error.code ?? 'unknown') });
	});
	redis.on('ready', () => (down = false));
	return redis;
}

/**
 * The process's two connections to one Redis, opened on first use. Shared by every app the process
 * builds (one in production, many in a test run), so connections do not grow with apps.
 */
export function redisPair(url: string): RedisPair {
	let pair = pairs.get(url);
	if (!pair) {
		pair = { commands: openRedis(url, 'switchboard'), subscriber: openRedis(url, 'switchboard-sub') };
		pairs.set(url, pair);
	}
	return pair;
}

/** Closes every shared connection (at shutdown, after the last command). */
export async function closeRedisPairs(): Promise<void> {
	const all = [...pairs.values()];
	pairs.clear();
	await Promise.allSettled(all.flatMap((p) => [p.commands.quit(), p.subscriber.quit()]));
}

/**
 * Runs a Redis read whose failure a caller must see as a typed, retryable error (a Redis outage is
 * the server's problem, never an unexplained 500).
 */
export async function orUnavailable<T>(read: () => Promise<T>): Promise<T> {
	try {
		return await read();
	} catch (cause) {
		throw new AppError('unavailable', 'Live answers are unavailable right now. Try again in a moment.', {
			retryAfterMs: 1_000,
			cause
		});
	}
}

export type RedisHealth = { ok: true; latencyMs: number } | { ok: false; reason: string };

// A readiness probe must answer quickly: a Redis that does not answer in this time is "not ready".
const PING_TIMEOUT_MS = 1_000;

/**
 * Whether Redis answers a PING in time. The reason names the failure's kind only: an ioredis error
 * text can carry the address, and a URL can carry a password, so neither is ever repeated.
 */
export async function pingRedis(redis: Redis, timeoutMs = PING_TIMEOUT_MS): Promise<RedisHealth> {
	const started = performance.now();
	let timer: ReturnType<typeof setTimeout> | undefined;
	const timedOut = new Promise<'timeout'>(
		(resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs))
	);
	try {
		const answer = await Promise.race([redis.ping(), timedOut]);
		if (answer === 'timeout') return { ok: false, reason: `no answer within ${timeoutMs} ms` };
		return { ok: true, latencyMs: Math.round(performance.now() - started) };
	} catch (error) {
		const code = (error as { code?: unknown }).code;
		return { ok: false, reason: typeof code === 'string' && /^[A-Z_]+$/.test(code) ? code : 'unreachable' };
	} finally {
		clearTimeout(timer);
	}
}
