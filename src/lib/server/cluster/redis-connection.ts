import { Redis } from 'ioredis';
import { AppError } from '../errors';

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
	return new Redis(url, {
		connectionName: name,
		maxRetriesPerRequest: 3,
		// The INFO round trip ioredis sends by default only delays the first command.
		enableReadyCheck: false
	});
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
