import { describeError, log } from '../log';
import { orUnavailable, type Redis } from './redis-connection';

/**
 * Ownership of running answers. The process running an answer holds its lease until the answer is
 * saved; an answer `streaming` with no lease has no process left to finish it.
 */
export interface Leases {
	hold(id: string): void;
	/** Resolves once the lease is gone everywhere. */
	release(id: string): Promise<void>;
	/** Whether any process holds the lease. */
	isHeld(id: string): Promise<boolean>;
	/** The ids, among these, whose lease some process holds. */
	heldAmong(ids: string[]): Promise<Set<string>>;
	close(): void;
}

/** One process: it holds every lease there is. */
export class MemoryLeases implements Leases {
	private readonly held = new Set<string>();

	hold(id: string): void {
		this.held.add(id);
	}

	async release(id: string): Promise<void> {
		this.held.delete(id);
	}

	async isHeld(id: string): Promise<boolean> {
		return this.held.has(id);
	}

	async heldAmong(ids: string[]): Promise<Set<string>> {
		return new Set(ids.filter((id) => this.held.has(id)));
	}

	close(): void {}
}

/**
 * Leases as Redis keys that expire `ttlMs` after the last heartbeat. One timer per process renews
 * every lease it holds in one pipelined round trip; a process that dies stops renewing, and its
 * leases are gone `ttlMs` later.
 */
export class RedisLeases implements Leases {
	private readonly held = new Set<string>();
	private readonly timer: ReturnType<typeof setInterval>;

	constructor(
		private readonly redis: Redis,
		private readonly options: { prefix: string; ttlMs: number; owner: string }
	) {
		this.timer = setInterval(() => this.renew(), Math.max(100, Math.floor(options.ttlMs / 3)));
		this.timer.unref();
	}

	private key(id: string) {
		return `${this.options.prefix}lease:${id}`;
	}

	hold(id: string): void {
		this.held.add(id);
		void this.redis
			.set(this.key(id), this.options.owner, 'PX', this.options.ttlMs)
			.catch((error: unknown) => log.warn('could not take a lease', { id, error: describeError(error) }));
	}

	async release(id: string): Promise<void> {
		this.held.delete(id);
		await this.redis.del(this.key(id));
	}

	async isHeld(id: string): Promise<boolean> {
		if (this.held.has(id)) return true;
		return (await orUnavailable(() => this.redis.exists(this.key(id)))) === 1;
	}

	async heldAmong(ids: string[]): Promise<Set<string>> {
		if (ids.length === 0) return new Set();
		const values = await orUnavailable(() => this.redis.mget(ids.map((id) => this.key(id))));
		return new Set(ids.filter((id, i) => values[i] !== null || this.held.has(id)));
	}

	close(): void {
		clearInterval(this.timer);
	}

	private renew(): void {
		if (this.held.size === 0) return;
		const pipeline = this.redis.pipeline();
		// SET rather than PEXPIRE: a lease lost to a stall (a long pause, a Redis restart) comes back.
		for (const id of this.held) pipeline.set(this.key(id), this.options.owner, 'PX', this.options.ttlMs);
		void pipeline
			.exec()
			.catch((error: unknown) => log.warn('could not renew leases', { error: describeError(error) }));
	}
}
