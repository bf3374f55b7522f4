import { trpc, type AliasInfo, type Me, type ModelInfo, type ProviderInfo } from './client';
import { describeError, type UiError } from './errors';
import type { ChatDefaults } from './preferences.svelte';

/**
 * What the whole app needs from the start: who is signed in, the providers, their models and the
 * model aliases.
 * Loaded once by the app layout; settings pages call refresh() after they change something.
 */
class Catalog {
	me = $state<Me>(null);
	providers = $state<ProviderInfo[]>([]);
	models = $state<ModelInfo[]>([]);
	aliases = $state<AliasInfo[]>([]);
	loaded = $state(false);
	error = $state<UiError | null>(null);
	#loading: Promise<void> | null = null;

	isAdmin = $derived(this.me?.role === 'admin');
	/** Providers a chat can use right now: enabled, configured and with at least one enabled model. */
	usable = $derived(
		this.providers.filter(
			(p) => p.enabled && p.configured && this.models.some((m) => m.providerId === p.id && m.enabled)
		)
	);
	sorted = $derived(
		[...this.providers].sort((a, b) => a.priority - b.priority || a.displayName.localeCompare(b.displayName))
	);

	load(): Promise<void> {
		this.#loading ??= this.refresh().finally(() => {
			this.#loading = null;
		});
		return this.#loading;
	}

	async refresh(): Promise<void> {
		try {
			const [me, providers, models, aliases] = await Promise.all([
				trpc.auth.me.query(),
				trpc.providers.list.query(),
				trpc.models.list.query({}),
				trpc.aliases.list.query()
			]);
			this.me = me;
			this.providers = providers;
			this.models = models;
			this.aliases = aliases;
			this.error = null;
		} catch (error) {
			this.error = describeError(error);
		} finally {
			this.loaded = true;
		}
	}

	isUsable(id: string | null | undefined): boolean {
		return this.usable.some((p) => p.id === id);
	}

	provider(id: string | null | undefined): ProviderInfo | undefined {
		return id ? this.providers.find((p) => p.id === id) : undefined;
	}

	providerName(id: string | null | undefined): string {
		return this.provider(id)?.displayName ?? id ?? 'Unknown provider';
	}

	modelsFor(providerId: string | null | undefined): ModelInfo[] {
		return this.models.filter((m) => m.providerId === providerId && m.enabled);
	}

	model(providerId: string | null | undefined, modelId: string | null | undefined): ModelInfo | undefined {
		return this.models.find((m) => m.providerId === providerId && m.modelId === modelId);
	}

	modelName(providerId: string | null | undefined, modelId: string | null | undefined): string {
		return this.model(providerId, modelId)?.displayName ?? modelId ?? 'unknown model';
	}

	/**
	 * The alias a chat's choice names: a chat that picked an alias stores no provider and the alias's
	 * name as its model (so repointing the alias moves the chat).
	 */
	alias(providerId: string | null | undefined, modelId: string | null | undefined): AliasInfo | undefined {
		return providerId || !modelId ? undefined : this.aliases.find((a) => a.name === modelId);
	}

	/** Where an alias points now: the provider and model names, for pickers and the chat header. */
	aliasTarget(alias: AliasInfo): string {
		return `${this.providerName(alias.providerId)} · ${this.modelName(alias.providerId, alias.modelId)}`;
	}

	/** A provider's default model, else its first enabled one. */
	defaultModel(providerId: string | null | undefined): ModelInfo | undefined {
		const provider = this.provider(providerId);
		const models = this.modelsFor(providerId);
		return models.find((m) => m.modelId === provider?.defaultModelId) ?? models[0];
	}

	/**
	 * The settings a new chat really starts with: the remembered choice (a model, or an alias) while
	 * it is still usable, else the default provider and its default model.
	 */
	resolveDefaults(saved: ChatDefaults): ChatDefaults {
		const alias = this.alias(saved.providerId, saved.modelId);
		if (alias && this.isUsable(alias.providerId)) return saved;
		const provider = this.provider(saved.providerId);
		if (provider && this.isUsable(provider.id)) {
			const model =
				this.modelsFor(provider.id).find((m) => m.modelId === saved.modelId) ??
				this.defaultModel(provider.id);
			return { ...saved, modelId: model?.modelId ?? null };
		}
		const fallback = this.fallbackProvider();
		return {
			...saved,
			providerId: fallback?.id ?? null,
			modelId: this.defaultModel(fallback?.id)?.modelId ?? null
		};
	}

	/** The provider a new chat uses when nothing was chosen: the default, else the first usable. */
	fallbackProvider(): ProviderInfo | undefined {
		const usable = [...this.usable].sort((a, b) => a.priority - b.priority);
		return usable.find((p) => p.isDefault) ?? usable[0];
	}
}

export const catalog = new Catalog();
