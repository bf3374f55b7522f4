import { describe, expect, it } from 'vitest';
import { AuthCache, type AuthInvalidation, type CachedSession, type CachedToken } from './auth-cache';

const user = (id: string) => ({
	id,
	email: `${id}@example.test`,
	name: null,
	role: 'member' as const,
	disabled: false,
	monthlyBudgetUsd: null,
	maxConcurrent: null,
	requestsPerMinute: null
});
const at = new Date('2026-01-01T00:00:00Z');

function sessionOf(id: string, userId: string): CachedSession {
	return { session: { id, userId, secretHash: 'ab', createdAt: at, lastVerifiedAt: at }, user: user(userId) };
}

function tokenOf(id: string, userId: string, expiresAt: Date | null = null): CachedToken {
	return {
		token: {
			id,
			userId,
			name: 't',
			tokenHash: `hash-${id}`,
			hint: 'abcd',
			monthlyBudgetUsd: null,
			createdAt: at,
			lastUsedAt: null,
			expiresAt,
			scopes: ['chat', 'completions', 'read'],
			allowedModels: []
		},
		user: user(userId)
	};
}

/** A loader that counts its calls, like the database would see them. */
function loader<T>(value: T | undefined) {
	const calls = { count: 0 };
	const load = async () => {
		calls.count++;
		return value;
	};
	return { calls, load };
}

describe('AuthCache', () => {
	it('answers from memory within the TTL and reads again after it', async () => {
		let clock = 0;
		const cache = new AuthCache({ ttlMs: 1000, clock: () => clock });
		const { calls, load } = loader(sessionOf('s1', 'u1'));
		await cache.session('s1', load);
		await cache.session('s1', load);
		expect(calls.count).toBe(1);
		clock = 1000;
		await cache.session('s1', load);
		expect(calls.count).toBe(2);
	});

	it('never keeps a miss, so a credential created a moment later is found', async () => {
		const cache = new AuthCache();
		const missing = loader<CachedToken>(undefined);
		expect(await cache.token('h', missing.load, at)).toBeUndefined();
		expect(await cache.token('h', missing.load, at)).toBeUndefined();
		expect(missing.calls.count).toBe(2);
	});

	it('drops a session, a token, or everything of a user at once', async () => {
		const cache = new AuthCache();
		const s1 = loader(sessionOf('s1', 'u1'));
		const s2 = loader(sessionOf('s2', 'u2'));
		const t1 = loader(tokenOf('t1', 'u1'));
		const t2 = loader(tokenOf('t2', 'u2'));
		const readAll = () =>
			Promise.all([
				cache.session('s1', s1.load),
				cache.session('s2', s2.load),
				cache.token('hash-t1', t1.load, at),
				cache.token('hash-t2', t2.load, at)
			]);
		await readAll();
		cache.invalidateSession('s1');
		cache.invalidateToken('t2');
		await readAll();
		expect([s1, s2, t1, t2].map((l) => l.calls.count)).toEqual([2, 1, 1, 2]);
		cache.invalidateUser('u1');
		await readAll();
		expect([s1, s2, t1, t2].map((l) => l.calls.count)).toEqual([3, 1, 2, 2]);
	});

	it('does not store a row read before an invalidation that landed during the read', async () => {
		const cache = new AuthCache();
		let release!: () => void;
		const gate = new Promise<void>((resolve) => (release = resolve));
		const slow = cache.session('s1', async () => {
			await gate;
			return sessionOf('s1', 'u1');
		});
		cache.invalidateUser('u1');
		release();
		await slow;
		const again = loader(sessionOf('s1', 'u1'));
		await cache.session('s1', again.load);
		expect(again.calls.count).toBe(1);
	});

	it('has the requests that miss together share one read', async () => {
		const cache = new AuthCache();
		let release!: () => void;
		const gate = new Promise<void>((resolve) => (release = resolve));
		let reads = 0;
		const load = async () => {
			reads++;
			await gate;
			return tokenOf('t1', 'u1');
		};
		const burst = Array.from({ length: 5 }, () => cache.token('hash-t1', load, at));
		release();
		const rows = await Promise.all(burst);
		expect(reads).toBe(1);
		expect(rows.every((row) => row?.token.id === 't1')).toBe(true);
		// A miss that fails is not shared with the requests after it.
		const failing = cache.session('s1', async () => {
			throw new Error('database down');
		});
		await expect(failing).rejects.toThrow('database down');
		const after = loader(sessionOf('s1', 'u1'));
		expect(await cache.session('s1', after.load)).toEqual(sessionOf('s1', 'u1'));
		expect(after.calls.count).toBe(1);
	});

	it('does not share a read begun before an invalidation with a request that came after it', async () => {
		const cache = new AuthCache();
		let release!: () => void;
		const gate = new Promise<void>((resolve) => (release = resolve));
		const before = cache.token(
			'hash-t1',
			async () => {
				await gate;
				return tokenOf('t1', 'u1');
			},
			at
		);
		cache.invalidateToken('t1');
		const after = loader<CachedToken>(undefined);
		expect(await cache.token('hash-t1', after.load, at)).toBeUndefined();
		expect(after.calls.count).toBe(1);
		release();
		expect((await before)?.token.id).toBe('t1');
	});

	it('tells listeners about local invalidations only, not ones applied from elsewhere', () => {
		const cache = new AuthCache();
		const heard: AuthInvalidation[] = [];
		const stop = cache.onInvalidate((event) => heard.push(event));
		cache.invalidateToken('t1');
		cache.apply({ kind: 'user', userId: 'u9' });
		stop();
		cache.invalidateSession('s1');
		expect(heard).toEqual([{ kind: 'token', tokenId: 't1' }]);
	});

	it('keeps renewals and token touches it was told about', async () => {
		const cache = new AuthCache();
		await cache.session('s1', loader(sessionOf('s1', 'u1')).load);
		await cache.token('hash-t1', loader(tokenOf('t1', 'u1')).load, at);
		const later = new Date('2026-01-02T00:00:00Z');
		cache.sessionTouched('s1', later);
		cache.tokenTouched('hash-t1', later);
		const unused = loader<never>(undefined);
		expect((await cache.session('s1', unused.load))?.session.lastVerifiedAt).toEqual(later);
		expect((await cache.token('hash-t1', unused.load, at))?.token.lastUsedAt).toEqual(later);
		expect(unused.calls.count).toBe(0);
	});

	it('drops a token at its expiry, within the TTL, and reads its row again', async () => {
		const cache = new AuthCache({ ttlMs: 60_000, clock: () => 0 });
		const expiresAt = new Date(at.getTime() + 1_000);
		const { calls, load } = loader(tokenOf('t1', 'u1', expiresAt));
		await cache.token('hash-t1', load, at);
		await cache.token('hash-t1', load, new Date(expiresAt.getTime() - 1));
		expect(calls.count).toBe(1);
		await cache.token('hash-t1', load, expiresAt);
		expect(calls.count).toBe(2);
		// Read at or past its expiry, the row is not kept at all: every request asks again.
		await cache.token('hash-t1', load, expiresAt);
		expect(calls.count).toBe(3);
	});

	it('stays within its size bound', async () => {
		const cache = new AuthCache({ maxEntries: 2 });
		const loads = ['a', 'b', 'c'].map((id) => loader(sessionOf(id, 'u1')));
		for (const [i, id] of ['a', 'b', 'c'].entries()) await cache.session(id, loads[i].load);
		await cache.session('a', loads[0].load);
		expect(loads[0].calls.count).toBe(2);
	});
});
