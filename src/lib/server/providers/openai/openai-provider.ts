import OpenAI from 'openai';
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
	ProviderKind,
	StreamOptions,
	StreamPart,
	Usage
} from '../types';
import { isChatModelId, toOpenAIParams } from './convert-to-openai';
import { mapOpenAIError } from './map-openai-error';
import { openAIChunks } from './openai-chunks';
import { mapOpenAIFinishReason } from './map-openai-finish-reason';
import { toUsageFromOpenAI } from './map-openai-usage';

/** The Chat Completions adapter; `openai-compatible` servers use it under their own kind. */
export class OpenAIProvider implements ChatProvider {
	readonly id: string;
	private readonly client: OpenAI;

	constructor(
		private readonly options: ProviderOptions,
		readonly kind: ProviderKind = 'openai'
	) {
		this.id = options.id;
		this.client = new OpenAI({
			// OpenAI-compatible local servers ignore the key; the SDK refuses to start without one.
			apiKey: options.apiKey || 'none',
			organization: null,
			project: null,
			webhookSecret: null,
			baseURL: options.baseUrl,
			timeout: options.timeoutMs,
			// resilient-stream.ts is the one retry loop: retries stacked on it would multiply.
			maxRetries: 0,
			fetch: options.fetch,
			defaultHeaders: options.headers,
			logLevel: 'off'
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
			// The SDK makes the request and answers its errors; the body is read by openAIChunks.
			response = await this.client.chat.completions
				.create(
					{ ...toOpenAIParams(request), stream: true, stream_options: { include_usage: true } },
					{ signal, fetchOptions: heldUntil(options.sendAfter) }
				)
				.asResponse();
		} catch (error) {
			throw mapOpenAIError(error, ctx);
		}
		let finish: string | null = null;
		let usage: Usage | undefined;
		let text = '';
		try {
			for await (const chunk of openAIChunks(response)) {
				usage = toUsageFromOpenAI(chunk.usage) ?? usage;
				const choice = chunk.choices[0];
				if (!choice) continue;
				const delta = choice.delta?.content;
				if (delta) {
					text += delta;
					yield { type: 'text-delta', text: delta };
				}
				if (choice.finish_reason) finish = choice.finish_reason;
			}
		} catch (error) {
			throw mapOpenAIError(error, ctx);
		}
		// The SDK ends the loop silently on abort and on a body closed without [DONE]: check both.
		if (signal.aborted) throw abortedError(ctx);
		if (!finish) throw truncatedStreamError(ctx, text.length > 0);
		yield {
			type: 'finish',
			finishReason: mapOpenAIFinishReason(finish),
			usage: usage ?? estimateUsage(request, text)
		};
	}

	async complete(request: ChatRequest, signal: AbortSignal): Promise<CompletionResult> {
		const ctx = this.ctx(signal, request.model);
		try {
			const response = await this.client.chat.completions.create(
				{ ...toOpenAIParams(request), stream: false },
				{ signal, timeout: this.options.completeTimeoutMs ?? this.options.timeoutMs }
			);
			const choice = response.choices[0];
			const text = choice?.message?.content ?? '';
			return {
				text,
				finishReason: mapOpenAIFinishReason(choice?.finish_reason),
				usage: toUsageFromOpenAI(response.usage) ?? estimateUsage(request, text)
			};
		} catch (error) {
			throw mapOpenAIError(error, ctx);
		}
	}

	async listModels(signal?: AbortSignal): Promise<DiscoveredModel[]> {
		try {
			const models: DiscoveredModel[] = [];
			for await (const model of this.client.models.list({ signal })) {
				if (isChatModelId(model.id)) models.push({ modelId: model.id, displayName: model.id });
			}
			return models;
		} catch (error) {
			throw mapOpenAIError(error, this.ctx(signal));
		}
	}

	checkHealth(signal?: AbortSignal): Promise<HealthResult> {
		return timedHealthCheck(
			() => this.client.models.list({ signal }),
			(error) => mapOpenAIError(error, this.ctx(signal))
		);
	}

	validateModel(modelId: string, signal?: AbortSignal): Promise<void> {
		return validateAgainstList(this, modelId, signal);
	}
}

export const openaiKind: ProviderKindDefinition = {
	kind: 'openai',
	label: 'OpenAI',
	requiresApiKey: true,
	defaultBaseUrl: 'https://api.openai.com/v1',
	privateNetworkByDefault: false,
	env: { apiKey: 'OPENAI_API_KEY', baseUrl: 'OPENAI_BASE_URL' },
	requiredMaxTokens: null,
	discoveredCapabilities: { temperature: true },
	promptCaching: false,
	noModelsHint: null,
	create: (options) => new OpenAIProvider(options)
};
