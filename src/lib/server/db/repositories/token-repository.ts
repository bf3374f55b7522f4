import { and, desc, eq, type SQL } from 'drizzle-orm';
import type { Executor } from '../client';
import { apiTokens, users } from '../schema';
import { sessionUserColumns, type SessionUser } from './session-repository';

export type ApiTokenRow = typeof apiTokens.$inferSelect;

export async function insertToken(
	db: Executor,
	userId: string,
	values: { name: string; tokenHash: string; hint: string; monthlyBudgetUsd: string | null; now: Date }
): Promise<ApiTokenRow> {
	const [row] = await db
		.insert(apiTokens)
		.values({
			userId,
			name: values.name,
			tokenHash: values.tokenHash,
			hint: values.hint,
			monthlyBudgetUsd: values.monthlyBudgetUsd,
			createdAt: values.now
		})
		.returning();
	return row;
}

/** A bearer token's row and user, found by the token's hash (the token is the credential). */
export async function findTokenWithUser(
	db: Executor,
	tokenHash: string
): Promise<{ token: ApiTokenRow; user: SessionUser } | undefined> {
	return findOneWithUser(db, eq(apiTokens.tokenHash, tokenHash));
}

/** The same, by id and owner: to re-check that a token behind a long-lived stream still exists. */
export async function findTokenById(
	db: Executor,
	userId: string,
	tokenId: string
): Promise<{ token: ApiTokenRow; user: SessionUser } | undefined> {
	return findOneWithUser(db, and(eq(apiTokens.id, tokenId), eq(apiTokens.userId, userId)));
}

/** One token row with its user, in one statement. */
async function findOneWithUser(
	db: Executor,
	where: SQL | undefined
): Promise<{ token: ApiTokenRow; user: SessionUser } | undefined> {
	const [row] = await db
		.select({ token: apiTokens, user: sessionUserColumns })
		.from(apiTokens)
		.innerJoin(users, eq(users.id, apiTokens.userId))
		.where(where);
	return row;
}

export async function listTokens(db: Executor, userId: string): Promise<ApiTokenRow[]> {
	return db
		.select()
		.from(apiTokens)
		.where(eq(apiTokens.userId, userId))
		.orderBy(desc(apiTokens.createdAt), desc(apiTokens.id));
}

export async function touchToken(db: Executor, userId: string, tokenId: string, now: Date): Promise<void> {
	await db
		.update(apiTokens)
		.set({ lastUsedAt: now })
		.where(and(eq(apiTokens.id, tokenId), eq(apiTokens.userId, userId)));
}

/** A deleted token as the audit log names it. */
export type DeletedToken = Pick<ApiTokenRow, 'id' | 'name'>;

/** The deleted token, or undefined when the user had none such: another user's token id is simply not found. */
export async function deleteToken(
	db: Executor,
	userId: string,
	tokenId: string
): Promise<DeletedToken | undefined> {
	const [row] = await db
		.delete(apiTokens)
		.where(and(eq(apiTokens.id, tokenId), eq(apiTokens.userId, userId)))
		.returning({ id: apiTokens.id, name: apiTokens.name });
	return row;
}

export async function deleteUserTokens(db: Executor, userId: string): Promise<DeletedToken[]> {
	return db
		.delete(apiTokens)
		.where(eq(apiTokens.userId, userId))
		.returning({ id: apiTokens.id, name: apiTokens.name });
}
