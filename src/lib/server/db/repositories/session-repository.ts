import { and, eq, ne } from 'drizzle-orm';
import type { Executor } from '../client';
import { sessions, users } from '../schema';

export type SessionRow = typeof sessions.$inferSelect;
export type SessionUser = Pick<
	typeof users.$inferSelect,
	'id' | 'email' | 'name' | 'role' | 'disabled' | 'monthlyBudgetUsd' | 'maxConcurrent' | 'requestsPerMinute'
>;

/**
 * The user fields authentication needs (never the password hash). The budget and caps ride along
 * so a turn learns them from the auth cache, without a query of its own.
 */
export const sessionUserColumns = {
	id: users.id,
	email: users.email,
	name: users.name,
	role: users.role,
	disabled: users.disabled,
	monthlyBudgetUsd: users.monthlyBudgetUsd,
	maxConcurrent: users.maxConcurrent,
	requestsPerMinute: users.requestsPerMinute
};

export async function insertSession(
	db: Executor,
	values: { id: string; secretHash: string; userId: string; now: Date }
): Promise<void> {
	await db.insert(sessions).values({
		id: values.id,
		secretHash: values.secretHash,
		userId: values.userId,
		createdAt: values.now,
		lastVerifiedAt: values.now
	});
}

/**
 * The session and its user in one statement. Looked up by session id because this is how a
 * request finds out who its user is; the caller then checks the secret.
 */
export async function findSessionWithUser(
	db: Executor,
	sessionId: string
): Promise<{ session: SessionRow; user: SessionUser } | undefined> {
	const [row] = await db
		.select({
			session: sessions,
			user: sessionUserColumns
		})
		.from(sessions)
		.innerJoin(users, eq(users.id, sessions.userId))
		.where(eq(sessions.id, sessionId));
	return row;
}

export async function touchSession(
	db: Executor,
	userId: string,
	sessionId: string,
	now: Date
): Promise<void> {
	await db
		.update(sessions)
		.set({ lastVerifiedAt: now })
		.where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId)));
}

export async function deleteSession(db: Executor, userId: string, sessionId: string): Promise<void> {
	await db.delete(sessions).where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId)));
}

/** Ends all of a user's sessions, or all but one (the one changing the password keeps working). */
export async function deleteUserSessions(
	db: Executor,
	userId: string,
	options: { except?: string } = {}
): Promise<void> {
	const own = eq(sessions.userId, userId);
	await db.delete(sessions).where(options.except ? and(own, ne(sessions.id, options.except)) : own);
}
