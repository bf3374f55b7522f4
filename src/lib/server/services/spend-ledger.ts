import type { Db } from '../db/client';
import { spendFrom } from '../db/repositories/usage-repository';
import { usdFromUnits, usdUnits } from '../generation/cost';

/** A user's spend this month up to a line in time, in units of 1e-8 USD (the column's scale). */
type Tally = {
	month: number;
	/** The database's time (as text) up to which the sums below are final. */
	horizon: string;
	user: bigint;
	tokens: Map<string, bigint>;
	countedAt: number;
};

type Spent = { user: number; token: number };

/** Rows this much older than the database's clock are final: no transaction that writes one lasts longer. */
const SETTLE_SECONDS = 60;
/** A tally is counted again from the month's start this often, so a row that missed it counts soon. */
const RECOUNT_MS = 10 * 60_000;

/**
 * This month's spend per user and API token for the budget check before every budgeted call.
 * Summing all of a month's usage rows each time grew with the month (50,000 rows: 12.6 ms of
 * PGlite's thread per call); the ledger keeps what is final and reads only the rows since its
 * horizon, a minute back. Every process reads the same rows, so several processes agree; each row
 * counts exactly once (sums are kept in integer units of the column's scale), and the whole month is
 * counted again every ten minutes in case a row was committed more than a minute after it was made.
 */
export class SpendLedger {
	private readonly tallies = new Map<string, Tally>();

	constructor(private readonly deps: { db: Db; now?: () => Date }) {}

	/** Spend of `userId` from `monthStart` on, and the part of it through `tokenId`. */
	async spent(userId: string, tokenId: string | null, monthStart: Date): Promise<Spent> {
		const now = this.deps.now?.().getTime() ?? Date.now();
		const month = monthStart.getTime();
		let tally = this.tallies.get(userId);
		if (!tally || tally.month !== month || now - tally.countedAt >= RECOUNT_MS) {
			tally = { month, horizon: monthStart.toISOString(), user: 0n, tokens: new Map(), countedAt: now };
			this.tallies.set(userId, tally);
		}
		// What the tally held when the read began: concurrent reads of one user each add their
		// rows to this, and only the first to finish moves the tally on.
		const { horizon, user } = tally;
		const tokenBase = tokenId ? (tally.tokens.get(tokenId) ?? 0n) : 0n;
		const rows = await spendFrom(this.deps.db, userId, horizon, SETTLE_SECONDS);

		let userTotal = user;
		let tokenTotal = tokenBase;
		for (const row of rows) {
			userTotal += usdUnits(row.total);
			if (tokenId && row.tokenId === tokenId) tokenTotal += usdUnits(row.total);
		}
		if (rows.length > 0 && this.tallies.get(userId) === tally && tally.horizon === horizon) {
			for (const row of rows) {
				const settled = usdUnits(row.settled);
				tally.user += settled;
				if (row.tokenId) tally.tokens.set(row.tokenId, (tally.tokens.get(row.tokenId) ?? 0n) + settled);
			}
			tally.horizon = rows[0]!.horizon;
		}
		return { user: usdFromUnits(userTotal), token: tokenId ? usdFromUnits(tokenTotal) : 0 };
	}
}
