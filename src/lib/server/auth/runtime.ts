import type { App } from '../app';
import { deriveEncryptionKey } from '../crypto';
import { AuthCache } from './auth-cache';
import { deriveDeviceKey } from './device';
import { AuthThrottle, defaultThrottleRules, type ThrottleRules } from './throttle';

/**
 * Per-app authentication state: the clock, the throttles, the device-cookie key and the cache of
 * sessions and tokens (auth-cache.ts). Kept beside the App (in a WeakMap) rather than in module
 * globals, so every test app starts with a clean count and cache, and the clock is injectable, so expiry and throttle windows are tested without sleeping.
 */
export type AuthRuntime = {
	now: () => Date;
	throttle: AuthThrottle;
	deviceKey: () => Buffer;
	cache: AuthCache;
};

const runtimes = new WeakMap<App, AuthRuntime>();

export function authRuntime(app: App): AuthRuntime {
	let runtime = runtimes.get(app);
	if (!runtime) {
		let deviceKey: Buffer | null = null;
		runtime = {
			now: () => new Date(),
			throttle: new AuthThrottle(throttleRules(app)),
			cache: new AuthCache(),
			// Derived on first use: deriving from SECRET_KEY runs scrypt once.
			deviceKey: () => (deviceKey ??= deriveDeviceKey(deriveEncryptionKey(app.config)))
		};
		runtimes.set(app, runtime);
	}
	return runtime;
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
	if (options.throttle) runtime.throttle = new AuthThrottle({ ...throttleRules(app), ...options.throttle });
	return runtime;
}
