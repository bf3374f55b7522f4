import type { ProviderErrorCode } from '$lib/schemas/provider-error';
import type { FinishReason } from '$lib/schemas/common';
import type { ImageMediaType } from '$lib/schemas/attachments';
import type { ProviderKind } from '$lib/schemas/provider-kinds';

export type { ProviderErrorCode, FinishReason, ProviderKind };

/** An image for a vision model: validated bytes (base64) and the format they were found to be. */
export type ChatImage = { mediaType: ImageMediaType; data: string; name: string };

/** `images` only on user turns, and only sent to models whose capabilities say vision. */
export type ChatMessage = { role: 'system' | 'user' | 'assistant'; content: string; images?: ChatImage[] };

export type ChatRequest = {
	model: string;
	messages: ChatMessage[];
	system?: string;
	/**
	 * Sent only when the model's stored capabilities allow it (the caller decides, see
	 * services/provider-manager.ts).
	 */
	temperature?: number;
	maxTokens?: number;
	/** Nucleus sampling, passed through as the provider names it. */
	topP?: number;
	/** Sequences that end the answer where the provider supports them. */
	stop?: string[];
	/** Repeatable sampling, where the model takes it (OpenAI, Ollama). */
	seed?: number;
	/**
	 * Mark the prompt's stable prefix as cacheable, for kinds whose API takes explicit breakpoints
	 * (the provider manager keeps it only where the kind and the model's setting allow; others
	 * ignore it).
	 */
	promptCaching?: boolean;
};

/**
 * Token counts in one vocabulary whatever the vendor: `inputTokens` is every prompt token, cached
 * ones included (OpenAI counts them so; Anthropic reports its cache figures apart and they are added
 * here), and the two cache figures say how many of them were read from or written to the prompt cache.
 */
export type Usage = {
	inputTokens: number;
	outputTokens: number;
	/** Of inputTokens, those read from the provider's prompt cache (billed at the cache-read price). */
	cacheReadTokens: number;
	/** Of inputTokens, those written to the prompt cache (billed at the cache-write price). */
	cacheWriteTokens: number;
	/** True when the provider reported nothing and the figures were estimated from the text. */
	estimated: boolean;
};

export type StreamPart =
	{ type: 'text-delta'; text: string } | { type: 'finish'; finishReason: FinishReason; usage: Usage };

export type CompletionResult = { text: string; finishReason: FinishReason; usage: Usage };

/** What discovery learned about one model (a provider's list endpoint), as the catalog stores it. */
export type DiscoveredModel = {
	modelId: string;
	displayName: string;
	contextWindow?: number | null;
	maxOutputTokens?: number | null;
	/** Set when the provider says the model reads images (Ollama's /api/show capabilities). */
	vision?: boolean;
};

export type HealthResult = { ok: true; latencyMs: number };

export type StreamOptions = { sendAfter?: Promise<unknown> };

/**
 * One provider instance, built from a provider_configs row. `stream` yields text deltas and exactly
 * one `finish`, or throws a ProviderError; it never ends silently without a finish.
 */
export interface ChatProvider {
	readonly id: string;
	readonly kind: ProviderKind;
	/**
	 * `sendAfter`: the call's request is prepared at once but leaves only once it resolves, and never if
	 * it rejects (send-gate.ts); the stream then fails with its reason.
	 */
	stream(request: ChatRequest, signal: AbortSignal, options?: StreamOptions): AsyncIterable<StreamPart>;
	complete(request: ChatRequest, signal: AbortSignal): Promise<CompletionResult>;
	listModels(signal?: AbortSignal): Promise<DiscoveredModel[]>;
	checkHealth(signal?: AbortSignal): Promise<HealthResult>;
	/** Resolves when the provider lists `modelId`; else throws `model_not_found` naming close matches. */
	validateModel(modelId: string, signal?: AbortSignal): Promise<void>;
}

/** Every provider failure, whatever the SDK threw. `message` is safe to show a user. */
export class ProviderError extends Error {
	readonly code: ProviderErrorCode;
	readonly retryable: boolean;
	readonly retryAfterMs?: number;
	readonly status?: number;
	readonly providerId: string;

	constructor(options: {
		code: ProviderErrorCode;
		message: string;
		providerId: string;
		retryable?: boolean;
		retryAfterMs?: number;
		status?: number;
		cause?: unknown;
	}) {
		super(options.message, { cause: options.cause });
		this.name = 'ProviderError';
		this.code = options.code;
		this.providerId = options.providerId;
		this.retryable = options.retryable ?? false;
		this.retryAfterMs = options.retryAfterMs;
		this.status = options.status;
	}
}
