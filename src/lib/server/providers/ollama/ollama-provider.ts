import { Ollama } from 'ollama';
import { estimateUsage } from '../estimate-tokens';
import { heldUntil } from '../send-gate';
import { abortedError, truncatedStreamError, type ErrorContext } from '../provider-errors';
import {
	timedHealthCheck,
	validateAgainstList,
	type ProviderKindDefinition,
	type ProviderOptions
} from '../provider-kind';
import type {
	ChatProvider,
	ChatRequest,
	CompletionResult,
	DiscoveredModel,
	HealthResult,
	StreamOptions,
	StreamPart,
	Usage
} from '../types';
import { contextLengthFromModelInfo, toOllamaParams } from './convert-to-ollama';
import { mapOllamaError, OLLAMA_NO_DONE_MESSAGE } from './map-ollama-error';
import { mapOllamaFinishReason } from './map-ollama-finish-reason';

type Counts = { prompt_eval_count?: number; eval_count?: number };

function toUsage(counts: Counts, request: ChatRequest, text: string): Usage {
	if (typeof counts.prompt_eval_count !== 'number' && typeof counts.eval_count !== 'number') {
		return estimateUsage(request, text);
	}
	return {
		inputTokens: counts.prompt_eval_count ?? 0,
		outputTokens: counts.eval_count ?? 0,
		// Ollama has no prompt cache billing: its KV-cache reuse is free and unreported.
		cacheReadTokens: 0,
		cacheWriteTokens: 0,
		estimated: false
	};
}

/**
 * ollama-js has no per-call signal, timeout or fetch options, so each call gets a client whose fetch
 * carries the caller's signal, a timeout for the response headers (cleared once they arrive, so a long
 * stream is judged by resilient-stream's idle timer instead) and the gate its request waits for, if
 * any (send-gate.ts).
 */
function boundFetch(
	base: typeof fetch,
	signal: AbortSignal | undefined,
	headerTimeoutMs: number,
	sendAfter?: Promise<unknown>
): typeof fetch {
	return async (input, init) => {
		const timer = new AbortController();
		const timeout = setTimeout(
			() => timer.abort(new DOMException('Timed out', 'TimeoutError')),
			headerTimeoutMs
		);
		const signals = [timer.signal, init?.signal, signal].filter((s): s is AbortSignal => !!s);
		try {
			return await base(input, { ...init, ...heldUntil(sendAfter), signal: AbortSignal.any(signals) });
		} finally {
			clearTimeout(timeout);
		}
	};
}

class OllamaProvider implements ChatProvider {
	readonly kind = 'ollama' as const;
	readonly id: string;

	constructor(private readonly options: ProviderOptions) {
		this.id = options.id;
	}

	private client(
		signal: AbortSignal | undefined,
		timeoutMs = this.options.timeoutMs,
		sendAfter?: Promise<unknown>
	): Ollama {
		const headers = this.options.apiKey ? { Authorization: `Bearer ${this.options.apiKey}` } : undefined;
		return new Ollama({
			host: this.options.baseUrl,
			fetch: boundFetch(this.options.fetch, signal, timeoutMs, sendAfter),
			headers
		});
	}

	private ctx(signal?: AbortSignal, modelId?: string): ErrorContext {
		return { providerId: this.id, apiKey: this.options.apiKey, signal, modelId };
	}

	async *stream(
		request: ChatRequest,
		signal: AbortSignal,
		options: StreamOptions = {}
	): AsyncIterable<StreamPart> {
		const ctx = this.ctx(signal, request.model);
		let text = '';
		let final: (Counts & { done_reason?: string }) | undefined;
		try {
			const parts = await this.client(signal, undefined, options.sendAfter).chat({
				...toOllamaParams(request),
				stream: true
			});
			for await (const part of parts) {
				const delta = part.message?.content;
				if (delta) {
					text += delta;
					yield { type: 'text-delta', text: delta };
				}
				if (part.done) final = part;
			}
		} catch (error) {
			if (error instanceof Error && error.message === OLLAMA_NO_DONE_MESSAGE && !signal.aborted) {
				throw truncatedStreamError(ctx, text.length > 0);
			}
			throw mapOllamaError(error, ctx);
		}
		if (signal.aborted) throw abortedError(ctx);
		if (!final) throw truncatedStreamError(ctx, text.length > 0);
		yield {
			type: 'finish',
			finishReason: mapOllamaFinishReason(final.done_reason),
			usage: toUsage(final, request, text)
		};
	}

	async complete(request: ChatRequest, signal: AbortSignal): Promise<CompletionResult> {
		const ctx = this.ctx(signal, request.model);
		try {
			const client = this.client(signal, this.options.completeTimeoutMs ?? this.options.timeoutMs);
			const response = await client.chat({ ...toOllamaParams(request), stream: false });
			const text = response.message?.content ?? '';
			return {
				text,
				finishReason: mapOllamaFinishReason(response.done_reason),
				usage: toUsage(response, request, text)
			};
		} catch (error) {
			throw mapOllamaError(error, ctx);
		}
	}

	async listModels(signal?: AbortSignal): Promise<DiscoveredModel[]> {
		try {
			const client = this.client(signal);
			const { models } = await client.list();
			const discovered: DiscoveredModel[] = [];
			// /api/show per model for the context length; a few at a time, local servers are small.
			for (let i = 0; i < models.length; i += 4) {
				const batch = models.slice(i, i + 4);
				const shown = await Promise.all(batch.map((m) => client.show({ model: m.name }).catch(() => null)));
				batch.forEach((m, j) => {
					const info = shown[j]?.model_info as unknown as Record<string, unknown> | undefined;
					discovered.push({
						modelId: m.name,
						displayName: m.name,
						contextWindow: contextLengthFromModelInfo(info),
						vision: shown[j]?.capabilities?.includes('vision') ?? false
					});
				});
			}
			return discovered;
		} catch (error) {
			throw mapOllamaError(error, this.ctx(signal));
		}
	}

	checkHealth(signal?: AbortSignal): Promise<HealthResult> {
		return timedHealthCheck(
			() => this.client(signal).list(),
			(error) => mapOllamaError(error, this.ctx(signal))
		);
	}

	validateModel(modelId: string, signal?: AbortSignal): Promise<void> {
		return validateAgainstList(this, modelId, signal);
	}
}

export const ollamaKind: ProviderKindDefinition = {
	kind: 'ollama',
	label: 'Ollama',
	requiresApiKey: false,
	defaultBaseUrl: 'http://127.0.0.1:11434',
	privateNetworkByDefault: true,
	env: { baseUrl: 'OLLAMA_HOST' },
	requiredMaxTokens: null,
	discoveredCapabilities: { temperature: true },
	promptCaching: false,
	noModelsHint: 'Is Ollama running (ollama serve) with at least one model pulled (ollama pull llama3.2)?',
	create: (options) => new OllamaProvider(options)
};
