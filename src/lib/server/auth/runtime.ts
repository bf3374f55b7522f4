import type { App } from '../app';
import { deriveEncryptionKey } from '../crypto';
import { AuthCache } from './auth-cache';
import { deriveDeviceKey } from './device';
import { describeError, log } from '../log';
import { AuthThrottle, defaultThrottleRules, type ThrottleRules } from './throttle';
import { TokenUseRecorder } from './token-use';
import { touchTokens } from '../db/repositories/token-repository';

/**
 * Per-app authentication state: the clock, the throttles, the device-cookie key and the cache of
 * sessions and tokens (auth-cache.ts). Kept beside the App (in a WeakMap) rather than in module
 * globals, so every test app starts with a clean count and cache, and the clock is injectable, so
 * expiry and throttle windows are tested without sleeping. Every invalidation of the cache goes on
 * the app's bus, so other processes drop the same entries and every process re-checks the open
 * subscriptions the change concerns (app.ts).
 */
export type AuthRuntime = {
	now: () => Date;
	throttle: AuthThrottle;
	deviceKey: () => Buffer;
	cache: AuthCache;
	/** API tokens' last use, written in batches off the request path. */
	tokenUse: TokenUseRecorder;
};

const runtimes = new WeakMap<App, AuthRuntime>();

export function authRuntime(app: App): AuthRuntime {
	let runtime = runtimes.get(app);
	if (!runtime) {
		let deviceKey: Buffer | null = null;
		runtime = {
			now: () => new Date(),
			throttle: new AuthThrottle(throttleRules(app), app.cluster.attempts),
			cache: sharedCache(app),
			tokenUse: new TokenUseRecorder((uses) => touchTokens(app.database.db, uses)),
			// Derived on first use: deriving from SECRET_KEY runs scrypt once.
			deviceKey: () => (deviceKey ??= deriveDeviceKey(deriveEncryptionKey(app.config)))
		};
		runtimes.set(app, runtime);
	}
	return runtime;
}

/** A cache whose every local invalidation is announced to all processes (this one included). */
function sharedCache(app: App): AuthCache {
	const cache = new AuthCache();
	cache.onInvalidate((change) => {
		app.cluster.bus
			.publish({ type: 'auth', change })
			.catch((error: unknown) =>
				log.warn('could not announce an auth change', { error: describeError(error) })
			);
	});
	return cache;
}

/** The defaults, with the sign-up limit an operator set (SIGNUP_LIMIT, sign-ups per address per hour). */
function throttleRules(app: App): ThrottleRules {
	return {
		...defaultThrottleRules,
		signUp: { ...defaultThrottleRules.signUp, limit: app.config.SIGNUP_LIMIT }
	};
}

/** Replaces the clock and/or the throttle rules of one app (tests, and operators tuning limits). */
export function configureAuth(
	app: App,
	options: { now?: () => Date; throttle?: Partial<ThrottleRules> }
): AuthRuntime {
	const runtime = authRuntime(app);
	if (options.now) runtime.now = options.now;
	if (options.throttle)
		runtime.throttle = new AuthThrottle({ ...throttleRules(app), ...options.throttle }, app.cluster.attempts);
	return runtime;
}
