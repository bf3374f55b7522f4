import { TRPCError } from '@trpc/server';
import type { App } from '../app';
import { isStillAuthenticated, type Authenticated } from '../auth/authenticate';
import { describeError, log } from '../log';

/**
 * Relays a stream to a subscriber while its session or token stays valid: signing out, revoking the
 * token or disabling the user ends an open subscription within `checkMs`, with UNAUTHORIZED.
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
	const timer = auth
		? setInterval(() => {
				isStillAuthenticated(app, auth).then(
					(valid) => {
						if (valid) return;
						revoked = true;
						controller.abort();
					},
					(error: unknown) => log.warn('could not re-check a subscriber', { error: describeError(error) })
				);
			}, app.generations.settings.watcherAuthCheckMs)
		: undefined;
	timer?.unref();
	app.subscriptions.opened();
	try {
		yield* open(controller.signal);
	} finally {
		app.subscriptions.closed();
		clearInterval(timer);
		signal?.removeEventListener('abort', onAbort);
	}
	if (revoked) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Your session ended. Sign in again.' });
}
