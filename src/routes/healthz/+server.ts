import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { describeError, log } from '$lib/server/log';

export const GET: RequestHandler = async ({ locals }) => {
	// Shutting down: running answers finish here, new work must go to another instance.
	if (locals.app.generations.isDraining) {
		return json({ ok: false, draining: true }, { status: 503, headers: { 'retry-after': '2' } });
	}
	const started = performance.now();
	// With several processes, live answers, stops and limits go through Redis: without it this
	// process cannot serve them, so it is not ready either. Checked alongside the database.
	const redisCheck = locals.app.cluster.ping();
	let database;
	try {
		await locals.app.database.ping();
		database = {
			ok: true,
			driver: locals.app.database.driver,
			latencyMs: Math.round(performance.now() - started)
		};
	} catch (error) {
		log.warn('health check failed', { error: describeError(error) });
		database = { ok: false };
	}
	const redis = redisCheck ? await redisCheck : undefined;
	if (redis && !redis.ok) log.warn('health check: Redis is not ready', { reason: redis.reason });
	const ok = database.ok && (redis?.ok ?? true);
	return json({ ok, database, ...(redis ? { redis } : {}) }, { status: ok ? 200 : 503 });
};
