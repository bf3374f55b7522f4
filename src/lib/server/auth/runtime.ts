import type { Cluster } from '../cluster/cluster';
import { deriveEncryptionKey } from '../crypto';
import type { Db } from '../db/client';
import type { Env } from '../env-schema';
import { AuthCache } from './auth-cache';
import { deriveDeviceKey } from './device';
import { describeError, log } from '../log';
import { AuthThrottle, defaultThrottleRules, type ThrottleRules } from './throttle';
import { TokenUseRecorder } from './token-use';
import { touchTokens } from '../db/repositories/token-repository';

/**
 * Per-app authentication state: the clock, the throttles, the device-cookie key and the cache of
 * sessions and tokens (auth-cache.ts). Built once by createApp (app.authRuntime) rather than kept in
 * module globals, so every test app starts with a clean count and cache, and the clock is
 * injectable, so expiry and throttle windows are tested without sleeping. Every invalidation of the
 * cache goes on the app's bus, so other processes drop the same entries and every process re-checks
 * the open subscriptions the change concerns (app.ts).
 */
export type AuthRuntime = {
	now: () => Date;
	throttle: AuthThrottle;
	deviceKey: () => Buffer;
	cache: AuthCache;
	/** API tokens' last use, written in batches off the request path. */
	tokenUse: TokenUseRecorder;
};

/** What the runtime is built from: createApp's own parts. */
export type AuthRuntimeDeps = {
	config: Env;
	db: Db;
	cluster: Pick<Cluster, 'bus' | 'attempts'>;
};

export function createAuthRuntime({ config, db, cluster }: AuthRuntimeDeps): AuthRuntime {
	let deviceKey: Buffer | null = null;
	return {
		now: () => new Date(),
		throttle: new AuthThrottle(throttleRules(config), cluster.attempts),
		cache: sharedCache(cluster.bus),
		tokenUse: new TokenUseRecorder((uses) => touchTokens(db, uses)),
		// Derived on first use: deriving from SECRET_KEY runs scrypt once.
		deviceKey: () => (deviceKey ??= deriveDeviceKey(deriveEncryptionKey(config)))
	};
}

/** A cache whose every local invalidation is announced to all processes (this one included). */
function sharedCache(bus: Cluster['bus']): AuthCache {
	const cache = new AuthCache();
	cache.onInvalidate((change) => {
		bus
			.publish({ type: 'auth', change })
			.catch((error: unknown) =>
				log.warn('could not announce an auth change', { error: describeError(error) })
			);
	});
	return cache;
}

/** The defaults, with the sign-up limit an operator set (SIGNUP_LIMIT, sign-ups per address per hour). */
function throttleRules(config: Pick<Env, 'SIGNUP_LIMIT'>): ThrottleRules {
	return {
		...defaultThrottleRules,
		signUp: { ...defaultThrottleRules.signUp, limit: config.SIGNUP_LIMIT }
	};
}

/**
 * Replaces the clock and/or the throttle rules of one app (tests, and operators tuning limits). The
 * runtime is changed in place: the services built with it see the change.
 */
export function configureAuth(
	app: { authRuntime: AuthRuntime; config: Pick<Env, 'SIGNUP_LIMIT'>; cluster: Pick<Cluster, 'attempts'> },
	options: { now?: () => Date; throttle?: Partial<ThrottleRules> }
): AuthRuntime {
	const runtime = app.authRuntime;
	if (options.now) runtime.now = options.now;
	if (options.throttle)
		runtime.throttle = new AuthThrottle(
			{ ...throttleRules(app.config), ...options.throttle },
			app.cluster.attempts
		);
	return runtime;
}
