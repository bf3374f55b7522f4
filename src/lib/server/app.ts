import { createAuthRuntime } from './auth/runtime';
import { createCluster, type Cluster } from './cluster/cluster';
import type { Env } from './env-schema';
import type { DatabaseHandle } from './db/client';
import { ProviderManager } from './services/provider-manager';
import { AttachmentService } from './services/attachment-service';
import { AuthService } from './services/auth-service';
import { AuditService } from './services/audit-service';
import { ChatService } from './services/chat-service';
import { ChatTransferService } from './services/chat-transfer-service';
import { CompletionService } from './services/completion-service';
import { GenerationService, type GenerationSettings } from './services/generation-service';
import { ModelService } from './services/model-service';
import { AliasService } from './services/alias-service';
import { ProviderAdminService } from './services/provider-admin-service';
import { StreamService } from './services/stream-service';
import { TitleService } from './services/title-service';
import { UsageService } from './services/usage-service';
import { UserService } from './services/user-service';
import { BudgetService } from './services/budget-service';
import { SettingsService } from './services/settings-service';
import { OpenSubscriptions } from './trpc/open-subscriptions';
import { PendingStarts } from './generation/pending-starts';

/**
 * Everything a request needs, built once at start (or once per test suite): the database, the
 * configuration, the provider manager, the authentication state and the services. Routers reach
 * services through it, so tests can build an app on their own database.
 */
export type App = ReturnType<typeof createApp>;

export type AppOptions = {
	config: Env;
	database: DatabaseHandle;
	/** Overrides for limits and timings (tests use small ones). */
	generation?: Partial<GenerationSettings>;
	/** Shared state built elsewhere (default: from the configuration's REDIS_URL). */
	cluster?: Cluster;
};

export function createApp(options: AppOptions) {
	const { config, database } = options;
	const db = database.db;
	const audit = new AuditService({ db });
	const settings: GenerationSettings = {
		maxRetries: config.PROVIDER_MAX_RETRIES,
		timeoutMs: config.PROVIDER_TIMEOUT_MS,
		maxConcurrentPerUser: 3,
		requestsPerMinute: 60,
		retainLogMs: 60_000,
		flushIntervalMs: 1_000,
		watcherAuthCheckMs: 5_000,
		awaitStartMs: 5_000,
		...options.generation
	};
	const cluster = options.cluster ?? createCluster(config, { retainLogMs: settings.retainLogMs });
	const { bus } = cluster;
	const providers = new ProviderManager({
		db,
		config,
		cooldown: { shared: cluster.cooldowns },
		announce: () => void bus.publish({ type: 'providers' }).catch(() => undefined)
	});
	const appSettings = new SettingsService({
		db,
		audit,
		defaults: settings,
		announce: () => void bus.publish({ type: 'settings' }).catch(() => undefined)
	});
	// Read now, so the first turn does not wait for it (a failed read is retried on first use).
	appSettings.current().catch(() => undefined);
	const budgets = new BudgetService({ db, settings: appSettings });
	const generations = new GenerationService({ db, providers, settings, cluster, budgets, appSettings });
	const starts = new PendingStarts(bus, settings.awaitStartMs);
	const subscriptions = new OpenSubscriptions();
	const attachments = new AttachmentService({
		db,
		settings: {
			maxImageBytes: config.ATTACHMENT_MAX_IMAGE_BYTES,
			maxTextBytes: config.ATTACHMENT_MAX_TEXT_BYTES,
			maxPerMessage: config.ATTACHMENT_MAX_PER_MESSAGE
		}
	});
	const titles = new TitleService({ db, providers, generations, setting: config.TITLE_MODEL });
	const models = new ModelService({ db, providers, audit });
	const aliases = new AliasService({ db, providers, audit });
	const authRuntime = createAuthRuntime({ config, db, cluster });
	const app = {
		config,
		database,
		cluster,
		providers,
		generations,
		appSettings,
		budgets,
		starts,
		audit,
		providerAdmin: new ProviderAdminService({ db, config, providers, audit }),
		models,
		attachments,
		aliases,
		authRuntime,
		auth: new AuthService({ db, config, runtime: authRuntime }),
		users: new UserService({
			db,
			runtime: authRuntime,
			audit,
			modelNames: async () => {
				const [all, named] = await Promise.all([models.list({ includeDisabled: true }), aliases.list()]);
				return new Set([...all.map((m) => `${m.providerId}/${m.modelId}`), ...named.map((a) => a.name)]);
			}
		}),
		chats: new ChatService({ db, providers, generations, attachments, titles, starts }),
		chatTransfer: new ChatTransferService({ db, attachments }),
		streams: new StreamService({ db, generations, cluster, starts }),
		completions: new CompletionService({ providers, generations, attachments, starts }),
		usage: new UsageService({ db }),
		subscriptions
	};
	// What other processes (and this one) announce: one place, so every kind is handled here.
	bus.subscribe((message) => {
		if (message.type === 'providers') providers.invalidate();
		else if (message.type === 'settings') appSettings.invalidate();
		else if (message.type === 'cooldown') providers.applyCooldown(message.providerId, message.forMs);
		else if (message.type === 'stop') generations.onStopAnnounced(message.generationId, message.userId);
		else if (message.type === 'auth') {
			authRuntime.cache.apply(message.change);
			subscriptions.recheck(message.change);
		}
	});
	return app;
}
