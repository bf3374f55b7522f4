import { z } from 'zod';
import type { ApiTokenRow } from '../db/repositories/token-repository';
import type { SessionRow, SessionUser } from '../db/repositories/session-repository';

/*
 * A few seconds of memory for the two lookups every request makes (the session behind a cookie, the
 * API token behind a bearer header), so a turn does not pay a database round trip to learn who sent it.
 *
 * What is cached is the row, never the decision: expiry, renewal and the secret check are still
 * computed per request from the cached row. Anything that ends or changes a credential calls one of
 * the invalidate methods after its write commits, which drops the entries in this process at once;
 * the TTL only bounds how long a change made elsewhere (another process, a manual SQL edit) can go
 * unseen.
 *
 * The seam for more processes: every invalidation goes through `invalidate()`, which tells the
 * `onInvalidate` listeners; a shared bus publishes what it hears there and feeds what other
 * processes published into `apply()`, which drops entries without publishing again.
 */

export type CachedSession = { session: SessionRow; user: SessionUser };
export type CachedToken = { token: ApiTokenRow; user: SessionUser };

/** What changed, as a message a bus can carry between processes (plain JSON, checked on arrival). */
export const authInvalidationSchema = z.discriminatedUnion('kind', [
	z.object({ kind: z.literal('session'), sessionId: z.string() }),
	z.object({ kind: z.literal('token'), tokenId: z.string() }),
	/** Every session and token of a user: password change, role change, disabled. */
	z.object({ kind: z.literal('user'), userId: z.string() })
]);

export type AuthInvalidation = z.infer<typeof authInvalidationSchema>;

export type AuthCacheOptions = {
	/** How long a row read from the database is trusted without a word from an invalidation. */
	ttlMs?: number;
	/** Entries kept at most; past it, expired entries go, then everything (a flood of distinct tokens). */
	maxEntries?: number;
	/** A monotonic clock in ms (tests replace it). */
	clock?: () => number;
};

export const AUTH_CACHE_TTL_MS = 5_000;

type Entry<T> = { value: T; expiresAt: number };
/** A read under way, and the invalidation epoch it began in. */
type Load<T> = { epoch: number; value: Promise<T | undefined> };

export class AuthCache {
	private readonly sessions = new Map<string, Entry<CachedSession>>();
	private readonly tokens = new Map<string, Entry<CachedToken>>();
	/**
	 * Reads under way by key: the requests of a burst that miss together (after the TTL, say) share
	 * one read instead of each sending its own.
	 */
	private readonly sessionLoads = new Map<string, Load<CachedSession>>();
	private readonly tokenLoads = new Map<string, Load<CachedToken>>();
	private readonly listeners = new Set<(event: AuthInvalidation) => void>();
	private readonly ttlMs: number;
	private readonly maxEntries: number;
	private readonly clock: () => number;
	/**
	 * Bumped by every invalidation. A lookup that started before one may have read the old row, so
	 * its answer is used by that request but not stored.
	 */
	private epoch = 0;

	constructor(options: AuthCacheOptions = {}) {
		this.ttlMs = options.ttlMs ?? AUTH_CACHE_TTL_MS;
		this.maxEntries = options.maxEntries ?? 10_000;
		this.clock = options.clock ?? (() => performance.now());
	}

	/** The session row and its user by session id, from memory when fresh, else from `load`. */
	session(
		sessionId: string,
		load: () => Promise<CachedSession | undefined>
	): Promise<CachedSession | undefined> {
		return this.read(this.sessions, this.sessionLoads, sessionId, load);
	}

	/**
	 * The token row and its user by the token's hash, from memory when fresh, else from `load`. An
	 * entry lives no longer than its token: at the token's expiry (by `now`, the wall clock the
	 * caller judges expiry by) it is dropped and the row read again, so an expired token is never
	 * served from memory, and an extended or replaced one is seen at once.
	 */
	token(
		tokenHash: string,
		load: () => Promise<CachedToken | undefined>,
		now: Date
	): Promise<CachedToken | undefined> {
		const untilExpiry = (value: CachedToken) =>
			value.token.expiresAt ? value.token.expiresAt.getTime() - now.getTime() : Infinity;
		return this.read(this.tokens, this.tokenLoads, tokenHash, load, untilExpiry);
	}

	/** Records a renewal just written, so the next requests within the TTL do not renew again. */
	sessionTouched(sessionId: string, lastVerifiedAt: Date): void {
		const entry = this.sessions.get(sessionId);
		if (entry) entry.value = { ...entry.value, session: { ...entry.value.session, lastVerifiedAt } };
	}

	/** Records a lastUsedAt just written, so the next requests within the TTL do not write it again. */
	tokenTouched(tokenHash: string, lastUsedAt: Date): void {
		const entry = this.tokens.get(tokenHash);
		if (entry) entry.value = { ...entry.value, token: { ...entry.value.token, lastUsedAt } };
	}

	invalidateSession(sessionId: string): void {
		this.invalidate({ kind: 'session', sessionId });
	}

	invalidateToken(tokenId: string): void {
		this.invalidate({ kind: 'token', tokenId });
	}

	invalidateUser(userId: string): void {
		this.invalidate({ kind: 'user', userId });
	}

	/** Drops what the change touches here, then tells the listeners (to publish it to other processes). */
	invalidate(event: AuthInvalidation): void {
		this.apply(event);
		for (const listener of this.listeners) listener(event);
	}

	/** Drops what the change touches here without telling anyone: for changes heard from elsewhere. */
	apply(event: AuthInvalidation): void {
		this.epoch++;
		if (event.kind === 'session') {
			this.sessions.delete(event.sessionId);
		} else if (event.kind === 'token') {
			deleteWhere(this.tokens, (v) => v.token.id === event.tokenId);
		} else {
			deleteWhere(this.sessions, (v) => v.user.id === event.userId);
			deleteWhere(this.tokens, (v) => v.user.id === event.userId);
		}
	}

	/** Listens to every local invalidation; returns the function that stops listening. */
	onInvalidate(listener: (event: AuthInvalidation) => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	/** `remainingMs` bounds an entry's life by its value's own (a token's expiry, from now). */
	private async read<T>(
		map: Map<string, Entry<T>>,
		loads: Map<string, Load<T>>,
		key: string,
		load: () => Promise<T | undefined>,
		remainingMs: (value: T) => number = () => Infinity
	): Promise<T | undefined> {
		const now = this.clock();
		const hit = map.get(key);
		if (hit && hit.expiresAt > now && remainingMs(hit.value) > 0) return hit.value;
		if (hit) map.delete(key);
		const epoch = this.epoch;
		// A read begun before an invalidation may return the old row: only a request that came in
		// before the same invalidation may share it.
		const pending = loads.get(key);
		if (pending && pending.epoch === epoch) return pending.value;
		const value = load();
		loads.set(key, { epoch, value });
		try {
			const row = await value;
			// Only rows that exist are kept: an unknown credential is asked about again, so a session
			// or token created a moment later is never refused from memory.
			const lifetimeMs = row === undefined ? 0 : Math.min(this.ttlMs, remainingMs(row));
			if (row !== undefined && lifetimeMs > 0 && epoch === this.epoch) {
				this.makeRoom(map, now);
				map.set(key, { value: row, expiresAt: now + lifetimeMs });
			}
			return row;
		} finally {
			if (loads.get(key)?.value === value) loads.delete(key);
		}
	}

	private makeRoom<T>(map: Map<string, Entry<T>>, now: number): void {
		if (map.size < this.maxEntries) return;
		deleteWhere(map, (_value, entry) => entry.expiresAt <= now);
		if (map.size >= this.maxEntries) map.clear();
	}
}

function deleteWhere<T>(map: Map<string, Entry<T>>, test: (value: T, entry: Entry<T>) => boolean): void {
	for (const [key, entry] of map) if (test(entry.value, entry)) map.delete(key);
}
