import type { Handle, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { bootApp, currentApp, shutdownApp } from '$lib/server/boot';

export const init: ServerInit = async () => {
	await bootApp();
	// adapter-node sends SIGTERM/SIGINT on shutdown: close PGlite cleanly so its files stay consistent.
	for (const signal of ['SIGINT', 'SIGTERM'] as const) {
		process.once(signal, () => {
			void shutdownApp().finally(() => process.exit(0));
		});
	}
};

const appHandle: Handle = async ({ event, resolve }) => {
	const app = currentApp();
	if (!app) return new Response('Switchboard is starting', { status: 503, headers: { 'retry-after': '1' } });
	event.locals.app = app;
	event.locals.user = null;
	return resolve(event);
};

export const handle = sequence(appHandle);
