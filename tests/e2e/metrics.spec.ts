import { expect, test } from '@playwright/test';
import { createSwitchboardClient } from '../../src/lib/sdk';
import { resetEmulators, script } from './support/emulators';
import { parseMetrics, total } from './support/metrics';
import {
	adminOf,
	freshDatabase,
	killSpawnedApps,
	spawnApp,
	spawnedPort,
	useEmulators
} from './support/spawned-app';

/* /metrics on a built app with METRICS_TOKEN, after an answer, a fallback and a failure. */
test.setTimeout(180_000);
test.afterEach(() => killSpawnedApps());
test.beforeEach(async () => resetEmulators());

const metricsToken = 'metrics-e2e-token-0123456789';

test('metrics count answers, fallbacks and failures, and need the token', async () => {
	const app = await spawnApp({
		port: spawnedPort(9),
		database: await freshDatabase('metrics'),
		env: { METRICS_TOKEN: metricsToken, PROVIDER_MAX_RETRIES: '0' }
	});
	const { token } = await adminOf(app);
	await useEmulators(app, token, ['anthropic', 'openai'], 'metrics');
	const sb = createSwitchboardClient({ url: app.origin, token });
	const usage = { inputTokens: 11, outputTokens: 7 };

	// An answer, a fallback (Anthropic overloaded, OpenAI answers) and a failure (Anthropic refuses the key).
	await script('openai', { chunks: ['Hello ', 'there'], usage, times: 2 });
	await sb.ask({ content: 'One', providerId: 'openai' }).result;
	await script('anthropic', { status: 529, errorType: 'overloaded_error' });
	const fellBack = await sb.ask({ content: 'Two', providerId: 'anthropic' }).result;
	expect(fellBack.providerId).toBe('openai');
	await script('anthropic', { status: 401, errorType: 'authentication_error' });
	await expect(sb.ask({ content: 'Three', providerId: 'anthropic' }).result).rejects.toMatchObject({
		code: 'auth'
	});

	const refused = await fetch(`${app.origin}/metrics`);
	expect(refused.status).toBe(401);
	const wrong = await fetch(`${app.origin}/metrics`, {
		headers: { authorization: 'Bearer not-the-token-at-all' }
	});
	expect(wrong.status).toBe(401);

	const response = await fetch(`${app.origin}/metrics`, {
		headers: { authorization: `Bearer ${metricsToken}` }
	});
	expect(response.status).toBe(200);
	expect(response.headers.get('content-type')).toMatch(/text\/plain/);
	const samples = parseMetrics(await response.text());

	const calls = 'switchboard_provider_calls_total';
	expect(total(samples, calls, { provider: 'openai', outcome: 'ok' })).toBe(2);
	expect(total(samples, calls, { provider: 'anthropic', outcome: 'fallback' })).toBe(1);
	expect(total(samples, calls, { provider: 'anthropic', outcome: 'auth' })).toBe(1);
	expect(total(samples, 'switchboard_fallbacks_total', { from: 'anthropic', to: 'openai' })).toBe(1);
	expect(total(samples, 'switchboard_provider_tokens_total', { provider: 'openai', type: 'input' })).toBe(22);
	expect(total(samples, 'switchboard_provider_tokens_total', { provider: 'openai', type: 'output' })).toBe(
		14
	);
	expect(total(samples, 'switchboard_provider_cost_usd_total', { provider: 'openai' })).toBeGreaterThan(0);
	expect(total(samples, 'switchboard_ttft_seconds_count', { provider: 'openai' })).toBe(2);
	expect(total(samples, 'switchboard_generation_duration_seconds_count', { provider: 'openai' })).toBe(2);
	expect(total(samples, 'switchboard_active_generations')).toBe(0);
	expect(total(samples, 'switchboard_open_subscriptions')).toBe(0);
	expect(total(samples, 'switchboard_db_up')).toBe(1);
	expect(total(samples, 'switchboard_db_query_duration_seconds_count')).toBeGreaterThan(0);
	expect(
		total(samples, 'switchboard_http_requests_total', { route: '/api/trpc/[...trpc]', status: '200' })
	).toBeGreaterThan(0);
	expect(total(samples, 'switchboard_http_requests_total', { route: '/metrics', status: '401' })).toBe(2);
	expect(samples.some((s) => s.name === 'nodejs_eventloop_lag_p99_seconds')).toBe(true);
	expect(samples.some((s) => s.name === 'process_cpu_seconds_total')).toBe(true);
	// Bounded labels: no user id, chat id or email anywhere in the exposition.
	const labelValues = samples.flatMap((s) => Object.values(s.labels));
	expect(labelValues.filter((v) => /[0-9a-f]{8}-[0-9a-f]{4}-|@/.test(v))).toEqual([]);

	await app.stop();
});
