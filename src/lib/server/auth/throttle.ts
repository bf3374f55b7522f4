import { AppError } from '../errors';
import { MemoryAttemptLog, type AttemptLog } from './attempt-log';

/*
 * Throttles for sign-in, password checks and sign-up, after OWASP's authentication guidance:
 *
 * - An account is slowed, never locked: past a few failures each further attempt waits twice as
 *   long as the last, up to a modest cap, so a stranger guessing at someone's account cannot keep
 *   its owner out for long.
 * - A device the account signed in from before (a signed cookie, see device.ts) is counted on its
 *   own: the account's and the address's counters, which anyone can run up, do not apply to it.
 * - A password change from a signed-in session has its own counter, so failed sign-ins elsewhere
 *   never block it, and a stolen session still cannot use it as a fast password oracle.
 * - Sign-ups are limited per address: each costs an argon2 hash and creates an account.
 *
 * The counts live behind AttemptLog (in-process; Redis when several processes share them).
 */

/** At most `limit` attempts in any `windowMs`. */
export type WindowRule = { kind: 'window'; limit: number; windowMs: number };

/** `free` failures, then a wait of baseMs, 2×baseMs, 4×baseMs… up to maxMs; failures expire after windowMs. */
export type BackoffRule = { kind: 'backoff'; free: number; baseMs: number; maxMs: number; windowMs: number };

export type ThrottleRule = WindowRule | BackoffRule;

export type ThrottleRules = {
	/** Failed sign-ins to one account from clients it does not know. */
	account: BackoffRule;
	/** Failed sign-ins from one address, across accounts, from clients no account knows. */
	address: WindowRule;
	/** Failed sign-ins from one known device to its own account. */
	device: BackoffRule;
	/** Wrong current passwords at a password change, per session. */
	passwordCheck: BackoffRule;
	/** Sign-up attempts per address. */
	signUp: WindowRule;
};

const MINUTE = 60_000;

export const defaultThrottleRules: ThrottleRules = {
	// Five wrong passwords is not a typo any more; the cap keeps the owner's worst wait at 5 minutes.
	account: { kind: 'backoff', free: 5, baseMs: 1000, maxMs: 5 * MINUTE, windowMs: 15 * MINUTE },
	// An address may be shared (an office, a NAT), so it gets more room than one account.
	address: { kind: 'window', limit: 20, windowMs: 15 * MINUTE },
	device: { kind: 'backoff', free: 5, baseMs: 1000, maxMs: 5 * MINUTE, windowMs: 15 * MINUTE },
	passwordCheck: { kind: 'backoff', free: 5, baseMs: 1000, maxMs: 5 * MINUTE, windowMs: 15 * MINUTE },
	signUp: { kind: 'window', limit: 10, windowMs: 60 * MINUTE }
};

/** Milliseconds to wait before one more attempt, given the earlier ones (oldest first). Pure. */
export function waitFor(rule: ThrottleRule, earlier: readonly number[], now: number): number {
	if (rule.kind === 'window') {
		if (earlier.length < rule.limit) return 0;
		// Allowed again when enough attempts have left the window to be under the limit.
		return Math.max(0, earlier[earlier.length - rule.limit] + rule.windowMs - now);
	}
	const over = earlier.length - rule.free;
	if (over < 0) return 0;
	const delay = Math.min(rule.baseMs * 2 ** over, rule.maxMs);
	return Math.max(0, earlier[earlier.length - 1] + delay - now);
}

export function formatWait(ms: number): string {
	const seconds = Math.ceil(ms / 1000);
	if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
	const minutes = Math.ceil(seconds / 60);
	return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

type Charge = { key: string; rule: ThrottleRule };

/**
 * Who is signing in: the account's email, the client's address, and the id of the known device
 * (a valid device cookie for this very account), if any.
 */
export type SignInAttempt = { email: string; address: string; device: string | null };

export class AuthThrottle {
	constructor(
		private readonly rules: ThrottleRules = defaultThrottleRules,
		private readonly log: AttemptLog = new MemoryAttemptLog()
	) {}

	/** Before the password is checked (so a refused caller costs no argon2 work). */
	beginSignIn(attempt: SignInAttempt, now: number): Promise<void> {
		return this.charge(this.signInCharges(attempt), now, 'Too many failed sign-in attempts.');
	}

	/**
	 * The password was right: the account's (or device's) failures are cleared and the address gets
	 * this attempt back. The address's earlier failures stay: clearing them would let someone with
	 * one valid account reset their budget between guesses at other accounts.
	 */
	async signInSucceeded(attempt: SignInAttempt, now: number): Promise<void> {
		if (attempt.device) await this.log.clear(deviceKey(attempt.device));
		else
			await Promise.all([
				this.log.clear(accountKey(attempt.email)),
				this.log.forgive(addressKey(attempt.address), now)
			]);
	}

	beginPasswordCheck(sessionId: string, now: number): Promise<void> {
		const charge = { key: `password-check:${sessionId}`, rule: this.rules.passwordCheck };
		return this.charge([charge], now, 'Too many wrong passwords.');
	}

	passwordCheckSucceeded(sessionId: string): Promise<void> {
		return this.log.clear(`password-check:${sessionId}`);
	}

	/** Every sign-up counts, successful or not: each one costs a password hash. */
	beginSignUp(address: string, now: number): Promise<void> {
		const charge = { key: `signup:${address}`, rule: this.rules.signUp };
		return this.charge([charge], now, 'Too many sign-ups from your network.');
	}

	private signInCharges(attempt: SignInAttempt): Charge[] {
		if (attempt.device) return [{ key: deviceKey(attempt.device), rule: this.rules.device }];
		return [
			{ key: accountKey(attempt.email), rule: this.rules.account },
			{ key: addressKey(attempt.address), rule: this.rules.address }
		];
	}

	/**
	 * Records the attempt on every key first and decides after: attempts running in parallel then
	 * see each other at once, instead of all passing a check before any of them is counted. A
	 * refused attempt is taken back, so waiting out the answer is enough to be let in again.
	 */
	private async charge(charges: Charge[], now: number, reason: string): Promise<void> {
		const waits = await Promise.all(
			charges.map(async ({ key, rule }) => {
				const times = await this.log.record(key, now, rule.windowMs);
				return waitFor(rule, times.slice(0, -1), now);
			})
		);
		const wait = Math.max(0, ...waits);
		if (wait === 0) return;
		await Promise.all(charges.map(({ key }) => this.log.forgive(key, now)));
		throw new AppError('too_many_requests', `${reason} Try again in ${formatWait(wait)}.`, {
			retryAfterMs: wait
		});
	}
}

const accountKey = (email: string) => `account:${email}`;
const addressKey = (address: string) => `address:${address}`;
const deviceKey = (device: string) => `device:${device}`;
