import { callerOf, type Caller } from '../auth/caller';
import { findUserById } from '../db/repositories/user-repository';
import { AppError } from '../errors';
import type { Context } from './context';

/**
 * The signed-in user with their budgets and caps, for procedures that start generations. It comes
 * with the request's authentication (from the auth cache); a context built with a user alone (a
 * server-side caller) reads the row once.
 */
export async function callerFor(
	ctx: Pick<Context, 'app' | 'auth'> & { user: { id: string } }
): Promise<Caller> {
	if (ctx.auth?.user.id === ctx.user.id) return ctx.auth.caller;
	const row = await findUserById(ctx.app.database.db, ctx.user.id);
	if (!row || row.disabled) throw new AppError('unauthorized', 'Sign in to continue.');
	return callerOf(row);
}
