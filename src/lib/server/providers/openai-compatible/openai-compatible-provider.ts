import { OpenAIProvider } from '../openai/openai-provider';
import type { ProviderKindDefinition } from '../provider-kind';

/**
 * Any server that speaks the Chat Completions API (vLLM, LM Studio, Groq, OpenRouter, DeepSeek,
 * Mistral...) through the OpenAI adapter. Admins add as many as they like; none has a home URL or
 * an environment fallback, and many local ones need no key.
 */
export const openaiCompatibleKind: ProviderKindDefinition = {
	kind: 'openai-compatible',
	label: 'OpenAI-compatible server',
	requiresApiKey: false,
	defaultBaseUrl: null,
	privateNetworkByDefault: false,
	env: {},
	requiredMaxTokens: null,
	discoveredCapabilities: { temperature: true },
	promptCaching: false,
	noModelsHint:
		'Does the server list its models at GET /models? If not, add them by hand in Settings → Providers.',
	create: (options) => new OpenAIProvider(options, 'openai-compatible')
};
