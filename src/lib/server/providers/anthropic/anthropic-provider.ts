import Anthropic from '@anthropic-ai/sdk';
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
	StreamPart
} from '../types';
import { DEFAULT_ANTHROPIC_MAX_TOKENS, toAnthropicParams } from './convert-to-anthropic';
import { mapAnthropicError } from './map-anthropic-error';
import { anthropicEvents } from './anthropic-events';
import { mapAnthropicFinishReason } from './map-anthropic-finish-reason';
import { mergeAnthropicUsage, noAnthropicCounts, toUsageFromAnthropic } from './map-anthropic-usage';

class AnthropicProvider implements ChatProvider {
	readonly kind = 'anthropic' as const;
	readonly id: string;
	private readonly client: Anthropic;

	constructor(private readonly options: ProviderOptions) {
		this.id = options.id;
		this.client = new Anthropic({
			// Always a string: without one the SDK would look for credentials on disk and in the environment.
			apiKey: options.apiKey ?? '',
			baseURL: options.baseUrl,
			timeout: options.timeoutMs,
			// resilient-stream.ts is the one retry loop: retries stacked on it would multiply.
			maxRetries: 0,
			fetch: options.fetch,
			logLevel: 'off',
			openTelemetry: false
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
		let response: Response;
		try {
			// The SDK makes the request and answers its errors; the body is read by anthropicEvents.
			response = await this.client.messages
				.create(
					{ ...toAnthropicParams(request), stream: true },
					{ signal, fetchOptions: heldUntil(options.sendAfter) }
				)
				.asResponse();
		} catch (error) {
			throw mapAnthropicError(error, ctx);
		}
		let counts = noAnthropicCounts;
		let reported = false;
		let stopReason: string | null = null;
		let stopped = false;
		let text = '';
		try {
			for await (const event of anthropicEvents(response)) {
				if (event.type === 'message_start') {
					counts = mergeAnthropicUsage(counts, event.message.usage);
					reported = true;
				} else if (
					event.type === 'content_block_delta' &&
					event.delta.type === 'text_delta' &&
					event.delta.text
				) {
					text += event.delta.text;
					yield { type: 'text-delta', text: event.delta.text };
				} else if (event.type === 'message_delta') {
					stopReason = event.delta.stop_reason ?? stopReason;
					// The final figures are the billed ones: input may be revised here, output is cumulative.
					counts = mergeAnthropicUsage(counts, event.usage);
					reported = true;
				} else if (event.type === 'message_stop') {
					stopped = true;
				}
			}
		} catch (error) {
			throw mapAnthropicError(error, ctx);
		}
		// The SDK ends the loop silently on abort and when the body closes early: check both.
		if (signal.aborted) throw abortedError(ctx);
		if (!stopped) throw truncatedStreamError(ctx, text.length > 0);
		yield {
			type: 'finish',
			finishReason: mapAnthropicFinishReason(stopReason),
			usage: reported ? toUsageFromAnthropic(counts) : estimateUsage(request, text)
		};
	}

	async complete(request: ChatRequest, signal: AbortSignal): Promise<CompletionResult> {
		const ctx = this.ctx(signal, request.model);
		try {
			const message = await this.client.messages.create(
				{ ...toAnthropicParams(request), stream: false },
				{ signal, timeout: this.options.completeTimeoutMs ?? this.options.timeoutMs }
			);
			const text = message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
			return {
				text,
				finishReason: mapAnthropicFinishReason(message.stop_reason),
				usage: toUsageFromAnthropic(mergeAnthropicUsage(noAnthropicCounts, message.usage))
			};
		} catch (error) {
			throw mapAnthropicError(error, ctx);
		}
	}

	async listModels(signal?: AbortSignal): Promise<DiscoveredModel[]> {
		try {
			const models: DiscoveredModel[] = [];
			// The SDK follows has_more / after_id across pages.
			for await (const model of this.client.models.list({ limit: 100 }, { signal })) {
				if (model.lifecycle === 'retired') continue;
				models.push({
					modelId: model.id,
					displayName: model.display_name || model.id,
					contextWindow: model.max_input_tokens ?? null,
					maxOutputTokens: model.max_tokens ?? null
				});
			}
			return models;
		} catch (error) {
			throw mapAnthropicError(error, this.ctx(signal));
		}
	}

	checkHealth(signal?: AbortSignal): Promise<HealthResult> {
		return timedHealthCheck(
			() => this.client.models.list({ limit: 1 }, { signal }),
			(error) => mapAnthropicError(error, this.ctx(signal))
		);
	}

	validateModel(modelId: string, signal?: AbortSignal): Promise<void> {
		return validateAgainstList(this, modelId, signal);
	}
}

export const anthropicKind: ProviderKindDefinition = {
	kind: 'anthropic',
	label: 'Anthropic',
	requiresApiKey: true,
	defaultBaseUrl: 'https://api.anthropic.com',
	privateNetworkByDefault: false,
	env: { apiKey: 'ANTHROPIC_API_KEY', baseUrl: 'ANTHROPIC_BASE_URL' },
	// The Messages API requires max_tokens.
	requiredMaxTokens: DEFAULT_ANTHROPIC_MAX_TOKENS,
	discoveredCapabilities: { temperature: true, promptCaching: true },
	// The Messages API caches a prompt prefix only where a request marks it (cache_control).
	promptCaching: true,
	noModelsHint: null,
	create: (options) => new AnthropicProvider(options)
};
