import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Every Prometheus series the app exports, in one registry built once per process. Label values
 * are bounded: route ids (not paths), provider and model ids from the catalog, outcome codes and
 * status classes. Never a user id, chat id or free text, so cardinality cannot grow with use.
 * The names are a contract with deploy/prometheus/alerts.yml and deploy/grafana/.
 */
export function createMetrics() {
	const registry = new Registry();
	// process_* and nodejs_* (event-loop lag percentiles, heap, GC, handles).
	collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });
	const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
	const generationBuckets = [0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300];
	return {
		registry,
		httpRequests: new Counter({
			name: 'switchboard_http_requests_total',
			help: 'HTTP requests answered, by method, route id and status code.',
			labelNames: ['method', 'route', 'status'] as const,
			registers: [registry]
		}),
		httpDuration: new Histogram({
			name: 'switchboard_http_request_duration_seconds',
			help: 'Time to the response head, by method and route id (streams count until their head).',
			labelNames: ['method', 'route'] as const,
			buckets: latencyBuckets,
			registers: [registry]
		}),
		providerCalls: new Counter({
			name: 'switchboard_provider_calls_total',
			help: 'Provider calls by provider, model and outcome (ok, fallback, or the ProviderErrorCode).',
			labelNames: ['provider', 'model', 'outcome'] as const,
			registers: [registry]
		}),
		providerTokens: new Counter({
			name: 'switchboard_provider_tokens_total',
			help: 'Tokens reported (or estimated) per provider call, by type input or output.',
			labelNames: ['provider', 'model', 'type'] as const,
			registers: [registry]
		}),
		providerCost: new Counter({
			name: 'switchboard_provider_cost_usd_total',
			help: 'Cost in USD of provider calls with a known price.',
			labelNames: ['provider', 'model'] as const,
			registers: [registry]
		}),
		ttft: new Histogram({
			name: 'switchboard_ttft_seconds',
			help: 'Time from the start of a generation to its first token, by the provider that answered.',
			labelNames: ['provider'] as const,
			buckets: latencyBuckets,
			registers: [registry]
		}),
		generationDuration: new Histogram({
			name: 'switchboard_generation_duration_seconds',
			help: 'Whole generation time, by the provider that answered.',
			labelNames: ['provider'] as const,
			buckets: generationBuckets,
			registers: [registry]
		}),
		providerRetries: new Counter({
			name: 'switchboard_provider_retries_total',
			help: 'Retries of a provider call before its first token.',
			labelNames: ['provider'] as const,
			registers: [registry]
		}),
		fallbacks: new Counter({
			name: 'switchboard_fallbacks_total',
			help: 'Fallbacks from one provider to the next before the first token.',
			labelNames: ['from', 'to'] as const,
			registers: [registry]
		}),
		cooldowns: new Counter({
			name: 'switchboard_provider_cooldowns_total',
			help: 'Times a failing provider was put in cooldown.',
			labelNames: ['provider'] as const,
			registers: [registry]
		}),
		activeGenerations: new Gauge({
			name: 'switchboard_active_generations',
			help: 'Generations running in this process.',
			registers: [registry]
		}),
		openSubscriptions: new Gauge({
			name: 'switchboard_open_subscriptions',
			help: 'Open stream subscriptions (SSE) in this process.',
			registers: [registry]
		}),
		dbQueryDuration: new Histogram({
			name: 'switchboard_db_query_duration_seconds',
			help: 'Database round trips: each statement or transaction as the app awaits it.',
			buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
			registers: [registry]
		}),
		dbErrors: new Counter({
			name: 'switchboard_db_errors_total',
			help: 'Database statements that failed because the database could not answer.',
			registers: [registry]
		}),
		dbUp: new Gauge({
			name: 'switchboard_db_up',
			help: '1 when the last database check succeeded, 0 when it failed.',
			registers: [registry]
		})
	};
}

export type Metrics = ReturnType<typeof createMetrics>;

type MetricsState = { metrics?: Metrics };
// One registry per process, kept on globalThis so Vite's HMR and several test files share it.
const state: MetricsState = ((globalThis as { __switchboardMetrics?: MetricsState }).__switchboardMetrics ??=
	{});

export function metrics(): Metrics {
	state.metrics ??= createMetrics();
	return state.metrics;
}
