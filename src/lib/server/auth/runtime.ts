import type { App } from '../app';
import { LoginThrottle, type ThrottleRules } from './throttle';

/**
 * Per-app authentication state: the clock and the sign-in throttle. Kept beside the App (in a
 * WeakMap) rather than in module globals, so every test app starts with a clean count, and the
 * clock is injectable, so expiry and throttle windows are tested without sleeping.
 */
export type AuthRuntime = { now: () => Date; throttle: LoginThrottle };

const runtimes = new WeakMap<App, AuthRuntime>();

export function authRuntime(app: App): AuthRuntime {
	let runtime = runtimes.get(app);
	if (!runtime) {
		runtime = { now: () => new Date(), throttle: new LoginThrottle() };
		runtimes.set(app, runtime);
	}
	return runtime;
}

/** Replaces the clock and/or the throttle rules of one app (tests, and operators tuning limits). */
export function configureAuth(
	app: App,
	options: { now?: () => Date; throttle?: ThrottleRules }
): AuthRuntime {
	const runtime = authRuntime(app);
	if (options.now) runtime.now = options.now;
	if (options.throttle) runtime.throttle = new LoginThrottle(options.throttle);
	return runtime;
}
