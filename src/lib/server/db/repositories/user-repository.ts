import { asc, count, eq, sql } from 'drizzle-orm';
import type { Theme } from '$lib/schemas/preferences';
import type { Executor } from '../client';
import { users } from '../schema';
import { isUniqueViolation } from '../unavailable';

export type UserRow = typeof users.$inferSelect;
export type NewUser = Pick<typeof users.$inferInsert, 'email' | 'name' | 'passwordHash' | 'role'>;

// Any constant works: it only has to be the same in every process creating users.
const USER_CREATION_LOCK = 4_242_001;

/**
 * Serialises account creation until the transaction ends, so two first sign-ups racing on an empty
 * database cannot both see zero users and both become admin. Works on Postgres and PGlite alike.
 */
export async function lockUserCreation(tx: Executor): Promise<void> {
	await tx.execute(sql`select pg_advisory_xact_lock(${USER_CREATION_LOCK})`);
}

export async function countUsers(db: Executor): Promise<number> {
	const [row] = await db.select({ n: count() }).from(users);
	return Number(row?.n ?? 0);
}

/** The new user, or null when the email is taken. */
export async function insertUser(db: Executor, values: NewUser): Promise<UserRow | null> {
	try {
		const [row] = await db.insert(users).values(values).returning();
		return row;
	} catch (error) {
		if (isUniqueViolation(error)) return null;
		throw error;
	}
}

/** Sign-in looks an account up by its (normalised) email: the one lookup not keyed by user id. */
export async function findUserByEmail(db: Executor, email: string): Promise<UserRow | undefined> {
	const [row] = await db.select().from(users).where(eq(users.email, email));
	return row;
}

export async function findUserById(db: Executor, userId: string): Promise<UserRow | undefined> {
	const [row] = await db.select().from(users).where(eq(users.id, userId));
	return row;
}

/** Every account, for the admin page: a self-hosted install has tens of users, not millions. */
export async function listUsers(db: Executor): Promise<UserRow[]> {
	return db.select().from(users).orderBy(asc(users.createdAt), asc(users.id));
}

export type UserPatch = Partial<
	Pick<
		UserRow,
		'role' | 'disabled' | 'passwordHash' | 'monthlyBudgetUsd' | 'maxConcurrent' | 'requestsPerMinute'
	>
>;

export async function updateUser(
	db: Executor,
	userId: string,
	patch: UserPatch,
	now: Date
): Promise<UserRow | undefined> {
	const [row] = await db
		.update(users)
		.set({ ...patch, updatedAt: now })
		.where(eq(users.id, userId))
		.returning();
	return row;
}

/** The theme alone: a preference, so it neither touches `updatedAt` nor goes through the audited patch. */
export async function findTheme(db: Executor, userId: string): Promise<Theme | undefined> {
	const [row] = await db.select({ theme: users.theme }).from(users).where(eq(users.id, userId));
	return row?.theme;
}

export async function setTheme(db: Executor, userId: string, theme: Theme): Promise<boolean> {
	const rows = await db.update(users).set({ theme }).where(eq(users.id, userId)).returning({ id: users.id });
	return rows.length > 0;
}
