import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { describeError, log } from '$lib/server/log';

export const GET: RequestHandler = async ({ locals }) => {
	// Shutting down: running answers finish here, new work must go to another instance.
	if (locals.app.generations.isDraining) {
		return json({ ok: false, draining: true }, { status: 503, headers: { 'retry-after': '2' } });
	}
	const started = performance.now();
	try {
		await locals.app.database.ping();
	} catch (error) {
		log.warn('health check failed', { error: describeError(error) });
		return json({ ok: false, database: { ok: false } }, { status: 503 });
	}
	return json({
		ok: true,
		database: {
			ok: true,
			driver: locals.app.database.driver,
			latencyMs: Math.round(performance.now() - started)
		}
	});
};
