import type { AuthUser, ChangePasswordInput, SignInInput, SignUpInput } from '$lib/schemas/auth';
import { toAuthUser } from '../auth/authenticate';
import { hashPassword, verifyDummyPassword, verifyPassword } from '../auth/password';
import { issueDeviceToken, verifyDeviceToken } from '../auth/device';
import type { AuthRuntime } from '../auth/runtime';
import { parseSessionToken } from '../auth/session';
import { createSession, validateSessionToken, type IssuedSession } from '../auth/session-store';
import type { Db } from '../db/client';
import * as sessionRepo from '../db/repositories/session-repository';
import * as userRepo from '../db/repositories/user-repository';
import type { Env } from '../env-schema';
import { AppError } from '../errors';

export type AuthServiceDeps = { db: Db; config: Pick<Env, 'ALLOW_SIGNUP'>; runtime: AuthRuntime };

/** `deviceToken` is the new device cookie's value (see auth/device.ts). */
export type SignedIn = { user: AuthUser; session: IssuedSession; deviceToken: string };

/**
 * Where a sign-in comes from: the address for throttling, and the session and device cookies it
 * already carried (if any).
 */
export type SignInContext = {
	address: string;
	presentedToken?: string | null;
	deviceToken?: string | null;
};

// One message for an unknown email and a wrong password, so the answer does not reveal accounts.
const WRONG_CREDENTIALS = 'Incorrect email or password.';

export class AuthService {
	constructor(private readonly deps: AuthServiceDeps) {}

	/** For the sign-up page: whether this is a fresh install, and whether sign-up is open. */
	async signUpStatus(): Promise<{ firstRun: boolean; open: boolean }> {
		const firstRun = (await userRepo.countUsers(this.deps.db)) === 0;
		return { firstRun, open: firstRun || this.deps.config.ALLOW_SIGNUP };
	}

	/**
	 * Creates an account and signs it in. The first account becomes the admin; later ones need
	 * ALLOW_SIGNUP. Counting and inserting happen under a lock in one transaction, so two racing
	 * first sign-ups cannot both become admin.
	 */
	async signUp(input: SignUpInput, context: SignInContext): Promise<SignedIn> {
		const { db, config, runtime } = this.deps;
		// Cheap refusals before the deliberately slow hash.
		if (!config.ALLOW_SIGNUP && (await userRepo.countUsers(db)) > 0) throw signUpClosed();
		const now = runtime.now();
		await runtime.throttle.beginSignUp(context.address, now.getTime());
		const passwordHash = await hashPassword(input.password);
		const signedIn = await db.transaction(async (tx) => {
			await userRepo.lockUserCreation(tx);
			const existing = await userRepo.countUsers(tx);
			if (existing > 0 && !config.ALLOW_SIGNUP) throw signUpClosed();
			if (await userRepo.findUserByEmail(tx, input.email)) throw emailTaken();
			const user = await userRepo.insertUser(tx, {
				email: input.email,
				name: input.name ?? null,
				passwordHash,
				role: existing === 0 ? 'admin' : 'member'
			});
			if (!user) throw emailTaken();
			return { user: toAuthUser(user), session: await createSession(tx, user.id, now) };
		});
		await this.endPresentedSession(context.presentedToken);
		return { ...signedIn, deviceToken: issueDeviceToken(runtime.deviceKey(), signedIn.user.id) };
	}

	/**
	 * Checks the password and starts a new session. The throttle is consulted first, so a blocked
	 * caller costs no argon2 work; an unknown email is verified against a dummy hash, so it costs
	 * the same time as a wrong password. A browser that signed in to this account before (a valid
	 * device cookie) is throttled on its own, apart from strangers guessing at the account.
	 */
	async signIn(input: SignInInput, context: SignInContext): Promise<SignedIn> {
		const { db, runtime } = this.deps;
		const startedAt = runtime.now().getTime();
		const user = await userRepo.findUserByEmail(db, input.email);
		const device = user ? verifyDeviceToken(runtime.deviceKey(), context.deviceToken, user.id) : null;
		const attempt = { email: input.email, address: context.address, device };
		await runtime.throttle.beginSignIn(attempt, startedAt);
		const valid = user
			? await verifyPassword(user.passwordHash, input.password)
			: await verifyDummyPassword(input.password);
		if (!user || !valid) throw new AppError('unauthorized', WRONG_CREDENTIALS);
		await runtime.throttle.signInSucceeded(attempt, startedAt);
		// Said only to someone who knows the password, so it reveals nothing to a guesser.
		if (user.disabled) throw new AppError('forbidden', 'This account has been disabled. Ask an admin.');
		// A session token the browser already carried (perhaps planted by someone else) is ended:
		// every sign-in gets a brand-new session id.
		await this.endPresentedSession(context.presentedToken);
		return {
			user: toAuthUser(user),
			session: await createSession(db, user.id, runtime.now()),
			deviceToken: issueDeviceToken(runtime.deviceKey(), user.id)
		};
	}

	async signOut(userId: string, sessionId: string): Promise<void> {
		await sessionRepo.deleteSession(this.deps.db, userId, sessionId);
		this.deps.runtime.cache.invalidateSession(sessionId);
	}

	/**
	 * Changes the password after checking the current one, and ends every other session of the
	 * user (someone who knew the old password is out). Only from a signed-in session, which is kept.
	 * Wrong current passwords are throttled per session: a stolen session must not become a fast
	 * password oracle, while failed sign-ins elsewhere never stop the owner changing it.
	 */
	async changePassword(
		userId: string,
		input: ChangePasswordInput,
		context: { sessionId: string }
	): Promise<void> {
		const { db, runtime } = this.deps;
		const user = await userRepo.findUserById(db, userId);
		if (!user) throw new AppError('unauthorized', 'Sign in to continue.');
		await runtime.throttle.beginPasswordCheck(context.sessionId, runtime.now().getTime());
		if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
			throw new AppError('bad_request', 'Your current password is not correct.', {
				field: 'currentPassword'
			});
		}
		await runtime.throttle.passwordCheckSucceeded(context.sessionId);
		const passwordHash = await hashPassword(input.newPassword);
		await db.transaction(async (tx) => {
			await userRepo.updateUser(tx, userId, { passwordHash }, runtime.now());
			await sessionRepo.deleteUserSessions(tx, userId, { except: context.sessionId });
		});
		// After the commit: a lookup between an earlier drop and the commit would re-read the old rows.
		runtime.cache.invalidateUser(userId);
	}

	/** Deletes the session a (valid) token names. Needs the whole token: an id alone proves nothing. */
	private async endPresentedSession(token: string | null | undefined): Promise<void> {
		if (!token || !parseSessionToken(token)) return;
		const { db, runtime } = this.deps;
		const session = await validateSessionToken(db, runtime.cache, token, runtime.now());
		if (!session) return;
		await sessionRepo.deleteSession(db, session.user.id, session.id);
		runtime.cache.invalidateSession(session.id);
	}
}

function signUpClosed(): AppError {
	return new AppError('forbidden', 'Sign-up is closed on this server. Ask an admin for an account.');
}

function emailTaken(): AppError {
	return new AppError('conflict', 'An account with this email already exists.', { field: 'email' });
}
