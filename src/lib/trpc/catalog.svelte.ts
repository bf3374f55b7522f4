import { trpc, type Me, type ModelInfo, type ProviderInfo } from './client';
import { describeError, type UiError } from './errors';
import type { ChatDefaults } from './preferences.svelte';

/**
 * What the whole app needs from the start: who is signed in, the providers and their models.
 * Loaded once by the app layout; settings pages call refresh() after they change something.
 */
class Catalog {
	me = $state<Me>(null);
	providers = $state<ProviderInfo[]>([]);
	models = $state<ModelInfo[]>([]);
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
			const [me, providers, models] = await Promise.all([
				trpc.auth.me.query(),
				trpc.providers.list.query(),
				trpc.models.list.query({})
			]);
			this.me = me;
			this.providers = providers;
			this.models = models;
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

	/** A provider's default model, else its first enabled one. */
	defaultModel(providerId: string | null | undefined): ModelInfo | undefined {
		const provider = this.provider(providerId);
		const models = this.modelsFor(providerId);
		return models.find((m) => m.modelId === provider?.defaultModelId) ?? models[0];
	}

	/**
	 * The settings a new chat really starts with: the remembered choice while its provider and model
	 * are still usable, else the default provider and its default model.
	 */
	resolveDefaults(saved: ChatDefaults): ChatDefaults {
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
