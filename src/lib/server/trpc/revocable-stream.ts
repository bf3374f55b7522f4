import { TRPCError } from '@trpc/server';
import type { App } from '../app';
import { isStillAuthenticated, type Authenticated } from '../auth/authenticate';
import { describeError, log } from '../log';

/**
 * Relays a stream to a subscriber while its session or token stays valid: signing out, revoking the
 * token, disabling the user or changing their role ends an open subscription with UNAUTHORIZED, at
 * once when the change is announced (on any process), else at the next check (`watcherAuthCheckMs`).
 */
export async function* whileAuthenticated<T>(
	app: App,
	auth: Authenticated | null,
	signal: AbortSignal | undefined,
	open: (signal: AbortSignal) => AsyncIterable<T>
): AsyncGenerator<T> {
	const controller = new AbortController();
	const onAbort = () => controller.abort();
	signal?.addEventListener('abort', onAbort, { once: true });
	let revoked = false;
	const recheck = () => {
		if (!auth) return;
		isStillAuthenticated(app, auth).then(
			(valid) => {
				if (valid) return;
				revoked = true;
				controller.abort();
			},
			(error: unknown) => log.warn('could not re-check a subscriber', { error: describeError(error) })
		);
	};
	const timer = auth ? setInterval(recheck, app.generations.settings.watcherAuthCheckMs) : undefined;
	timer?.unref();
	const unwatch = auth ? app.subscriptions.watch(auth, recheck) : undefined;
	app.subscriptions.opened();
	try {
		yield* open(controller.signal);
	} finally {
		app.subscriptions.closed();
		unwatch?.();
		clearInterval(timer);
		signal?.removeEventListener('abort', onAbort);
	}
	if (revoked) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Your session ended. Sign in again.' });
}
