import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { spendByToken } from '$lib/server/db/repositories/usage-repository';
import { insertUser } from '$lib/server/db/repositories/user-repository';
import { apiTokens, providerUsage } from '$lib/server/db/schema';
import { SpendLedger } from '$lib/server/services/spend-ledger';
import { countQueries, countedStatements, useTestDatabase } from '../../helpers/test-database';

const testDb = useTestDatabase();
const since = new Date('2000-01-01T00:00:00Z');

async function member() {
	const { db } = testDb.handle;
	const user = await insertUser(db, { email: `${crypto.randomUUID()}@example.com`, passwordHash: 'x' });
	const token = async (name: string) => {
		const [row] = await db
			.insert(apiTokens)
			.values({ userId: user!.id, name, tokenHash: crypto.randomUUID(), hint: name })
			.returning({ id: apiTokens.id });
		return row!.id;
	};
	return { userId: user!.id, token };
}

/** A usage row made `ageSeconds` ago by the database's clock, as another process would write it. */
async function spend(userId: string, costUsd: string | null, tokenId: string | null = null, ageSeconds = 0) {
	await testDb.handle.db.insert(providerUsage).values({
		userId,
		apiTokenId: tokenId,
		providerId: 'openai',
		modelId: 'gpt-4o-mini',
		status: 'ok',
		costUsd,
		createdAt: sql`now() - make_interval(secs => ${ageSeconds})`
	});
}

/** Every row summed, the way the usage pages count. */
async function fullSum(userId: string, tokenId: string | null) {
	const rows = await spendByToken(testDb.handle.db, userId, since);
	const user = rows.reduce((total, row) => total + row.spentUsd, 0);
	return { user, token: tokenId ? (rows.find((row) => row.tokenId === tokenId)?.spentUsd ?? 0) : 0 };
}

describe('the spend ledger behind the budget check', () => {
	it('agrees with a full sum of the rows, old and new, per user and per token, as rows keep coming', async () => {
		const { userId, token } = await member();
		const script = await token('script');
		const other = await token('other');
		const ledger = new SpendLedger({ db: testDb.handle.db });
		expect(await ledger.spent(userId, script, since)).toEqual({ user: 0, token: 0 });

		await spend(userId, '0.1', script, 600);
		await spend(userId, '0.7', null, 300);
		await spend(userId, null, script, 120); // unpriced: counts as nothing
		await spend(userId, '0.00075', other, 5);
		for (let round = 0; round < 3; round++) {
			expect(await ledger.spent(userId, script, since)).toEqual(await fullSum(userId, script));
			expect(await ledger.spent(userId, other, since)).toEqual(await fullSum(userId, other));
			expect(await ledger.spent(userId, null, since)).toEqual({ ...(await fullSum(userId, null)), token: 0 });
			await spend(userId, '0.2', script);
		}
		// Exact in decimal: 0.1 + 0.7 + 0.00075 + 3 × 0.2 (floats would give 1.4007499999999999).
		expect((await ledger.spent(userId, script, since)).user).toBe(1.40075);
	});

	it('reads only the rows after its horizon, a minute back, and counts the whole month again ten minutes on', async () => {
		const { userId } = await member();
		let now = Date.now();
		const ledger = new SpendLedger({ db: testDb.handle.db, now: () => new Date(now) });
		await spend(userId, '1', null, 300);
		expect((await ledger.spent(userId, null, since)).user).toBe(1);

		// A row made five minutes ago but seen only now (a commit that took that long) is behind the
		// horizon: the tally does not read it again, which is what keeps each check small.
		await spend(userId, '2', null, 300);
		await spend(userId, '4', null, 0);
		await countQueries(() => ledger.spent(userId, null, since));
		expect(countedStatements()).toHaveLength(1);
		expect((await ledger.spent(userId, null, since)).user).toBe(5);

		now += 10 * 60_000;
		expect((await ledger.spent(userId, null, since)).user).toBe(7);
	});

	it('starts again at a new month and counts nothing from before it', async () => {
		const { userId } = await member();
		const ledger = new SpendLedger({ db: testDb.handle.db });
		await spend(userId, '3', null, 3600);
		expect((await ledger.spent(userId, null, since)).user).toBe(3);
		expect((await ledger.spent(userId, null, new Date(Date.now() + 60_000))).user).toBe(0);
		expect((await ledger.spent(userId, null, since)).user).toBe(3);
	});

	it('counts each row once when several checks of one user run at once', async () => {
		const { userId } = await member();
		const ledger = new SpendLedger({ db: testDb.handle.db });
		for (let i = 0; i < 5; i++) await spend(userId, '0.5', null, 120 + i);
		const results = await Promise.all(Array.from({ length: 6 }, () => ledger.spent(userId, null, since)));
		expect(results.map((r) => r.user)).toEqual(Array(6).fill(2.5));
		await spend(userId, '0.5', null, 0);
		expect((await ledger.spent(userId, null, since)).user).toBe(3);
		expect((await ledger.spent(userId, null, since)).user).toBe(3);
	});
});
