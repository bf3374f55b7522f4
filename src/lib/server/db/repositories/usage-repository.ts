import { and, count, desc, eq, gte, lt, sql, sum, type SQL } from 'drizzle-orm';
import type { UsageGroupBy, UsageSource } from '$lib/schemas/usage';
import type { Executor } from '../client';
import { runShaped, shapeRows } from '../statement-shapes';
import { providerUsage, users } from '../schema';

export type UsageRow = typeof providerUsage.$inferSelect;
export type NewUsage = typeof providerUsage.$inferInsert;

export async function insertUsage(db: Executor, rows: NewUsage[]): Promise<void> {
	if (rows.length === 0) return;
	await runShaped(db, 'insert_usage', shapeRows('u', rows), (db, t) => db.insert(providerUsage).values(t));
}

export async function listUsageForChat(db: Executor, userId: string, chatId: string): Promise<UsageRow[]> {
	return db
		.select()
		.from(providerUsage)
		.where(and(eq(providerUsage.chatId, chatId), eq(providerUsage.userId, userId)))
		.orderBy(desc(providerUsage.createdAt));
}

export async function summarizeUsage(
	db: Executor,
	options: {
		groupBy: UsageGroupBy;
		userId?: string;
		providerId?: string;
		source?: UsageSource;
		from?: Date;
		to?: Date;
	}
) {
	const keys: Record<UsageGroupBy, SQL<string>> = {
		provider: sql<string>`${providerUsage.providerId}`,
		model: sql<string>`${providerUsage.providerId} || '/' || ${providerUsage.modelId}`,
		day: sql<string>`to_char(${providerUsage.createdAt} at time zone 'UTC', 'YYYY-MM-DD')`,
		user: sql<string>`coalesce(${users.email}, ${providerUsage.userId}::text)`,
		source: sql<string>`${providerUsage.source}`
	};
	const key = keys[options.groupBy];
	const filters: SQL[] = [];
	if (options.userId) filters.push(eq(providerUsage.userId, options.userId));
	if (options.providerId) filters.push(eq(providerUsage.providerId, options.providerId));
	if (options.source) filters.push(eq(providerUsage.source, options.source));
	if (options.from) filters.push(gte(providerUsage.createdAt, options.from));
	if (options.to) filters.push(lt(providerUsage.createdAt, options.to));
	return db
		.select({
			key,
			requests: count(),
			inputTokens: sum(providerUsage.inputTokens).mapWith(Number),
			outputTokens: sum(providerUsage.outputTokens).mapWith(Number),
			cacheReadTokens: sum(providerUsage.cacheReadTokens).mapWith(Number),
			cacheWriteTokens: sum(providerUsage.cacheWriteTokens).mapWith(Number),
			costUsd: sum(providerUsage.costUsd),
			unpricedRequests:
				sql<number>`count(*) filter (where ${providerUsage.costUsd} is null and ${providerUsage.status} <> 'error')`.mapWith(
					Number
				),
			estimatedRequests: sql<number>`count(*) filter (where ${providerUsage.estimated})`.mapWith(Number),
			errors: sql<number>`count(*) filter (where ${providerUsage.status} = 'error')`.mapWith(Number)
		})
		.from(providerUsage)
		.leftJoin(users, eq(users.id, providerUsage.userId))
		.where(filters.length ? and(...filters) : undefined)
		.groupBy(key)
		.orderBy(key);
}

/**
 * A user's spend from `from` on, by API token, for a running tally. `horizon` is the database's
 * clock less `settleSeconds` (never before `from`): `settled` sums the rows created before it, which
 * no transaction still open can join, `total` every row from `from`. Times are the database's own,
 * as text, so they go back to it exactly. No rows: nothing spent from `from`, and no new horizon.
 */
export async function spendFrom(db: Executor, userId: string, from: string, settleSeconds: number) {
	const horizon = sql`greatest(now() - make_interval(secs => ${settleSeconds}), ${from}::timestamptz)`;
	return db
		.select({
			tokenId: providerUsage.apiTokenId,
			horizon: sql<string>`(${horizon})::text`,
			settled: sql<string>`(coalesce(sum(${providerUsage.costUsd}) filter (where ${providerUsage.createdAt} < ${horizon}), 0))::text`,
			total: sql<string>`(coalesce(sum(${providerUsage.costUsd}), 0))::text`
		})
		.from(providerUsage)
		.where(and(eq(providerUsage.userId, userId), sql`${providerUsage.createdAt} >= ${from}::timestamptz`))
		.groupBy(providerUsage.apiTokenId);
}

/** Every user's spend since `since` with their own budget: the admin's view on the usage page. */
export async function spendByUser(db: Executor, since: Date) {
	return db
		.select({
			userId: users.id,
			email: users.email,
			role: users.role,
			monthlyBudgetUsd: users.monthlyBudgetUsd,
			spentUsd: sql<string>`coalesce(sum(${providerUsage.costUsd}), 0)`.mapWith(Number)
		})
		.from(users)
		.leftJoin(providerUsage, and(eq(providerUsage.userId, users.id), gte(providerUsage.createdAt, since)))
		.groupBy(users.id)
		.orderBy(users.email);
}

/** Each of a user's tokens' spend since `since`: the account page's token list. */
export async function spendByToken(db: Executor, userId: string, since: Date) {
	return db
		.select({
			tokenId: providerUsage.apiTokenId,
			spentUsd: sql<string>`coalesce(sum(${providerUsage.costUsd}), 0)`.mapWith(Number)
		})
		.from(providerUsage)
		.where(and(eq(providerUsage.userId, userId), gte(providerUsage.createdAt, since)))
		.groupBy(providerUsage.apiTokenId);
}
