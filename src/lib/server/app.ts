import type { Env } from './env-schema';
import type { DatabaseHandle } from './db/client';
import { ProviderManager } from './providers/registry';
import { AttachmentService } from './services/attachment-service';
import { AuditService } from './services/audit-service';
import { ChatService } from './services/chat-service';
import { CompletionService } from './services/completion-service';
import { GenerationService, type GenerationSettings } from './services/generation-service';
import { ModelService } from './services/model-service';
import { ProviderService } from './services/provider-service';
import { StreamService } from './services/stream-service';
import { UsageService } from './services/usage-service';
import { OpenSubscriptions } from './trpc/open-subscriptions';

/**
 * Everything a request needs, built once at start (or once per test suite): the database, the
 * configuration, the provider manager and the services. Routers reach services through it, so tests
 * can build an app on their own database.
 */
export type App = ReturnType<typeof createApp>;

export type AppOptions = {
	config: Env;
	database: DatabaseHandle;
	/** Overrides for limits and timings (tests use small ones). */
	generation?: Partial<GenerationSettings>;
	/** The network fetch for provider calls (under the URL guard). */
	fetch?: typeof fetch;
};

export function createApp(options: AppOptions) {
	const { config, database } = options;
	const db = database.db;
	const audit = new AuditService({ db });
	const providers = new ProviderManager({ db, config, fetch: options.fetch });
	const generations = new GenerationService({
		db,
		providers,
		settings: {
			maxRetries: config.PROVIDER_MAX_RETRIES,
			timeoutMs: config.PROVIDER_TIMEOUT_MS,
			maxConcurrentPerUser: 3,
			requestsPerMinute: 60,
			retainLogMs: 60_000,
			flushIntervalMs: 1_000,
			watcherAuthCheckMs: 5_000,
			...options.generation
		}
	});
	const attachments = new AttachmentService({
		db,
		settings: {
			maxImageBytes: config.ATTACHMENT_MAX_IMAGE_BYTES,
			maxTextBytes: config.ATTACHMENT_MAX_TEXT_BYTES,
			maxPerMessage: config.ATTACHMENT_MAX_PER_MESSAGE
		}
	});
	return {
		config,
		database,
		providers,
		generations,
		audit,
		providerAdmin: new ProviderService({ db, config, providers, audit }),
		models: new ModelService({ db, providers, audit }),
		attachments,
		chats: new ChatService({ db, providers, generations, attachments }),
		streams: new StreamService({ db, generations }),
		completions: new CompletionService({ providers, generations, attachments }),
		usage: new UsageService({ db }),
		subscriptions: new OpenSubscriptions()
	};
}
