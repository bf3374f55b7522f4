import type { ModelCapabilities } from './schema';

/**
 * The providers Switchboard knows out of the box, and a catalog of current models with their
 * limits and list prices (USD per million tokens). Ollama's models come from discovery.
 */
export const seedProviders = [
	{
		id: 'anthropic',
		kind: 'anthropic',
		displayName: 'Anthropic',
		priority: 10,
		defaultModelId: 'claude-sonnet-5-5'
	},
	{ id: 'openai', kind: 'openai', displayName: 'OpenAI', priority: 20, defaultModelId: 'gpt-4.1-mini' },
	{ id: 'ollama', kind: 'ollama', displayName: 'Ollama', priority: 30, defaultModelId: null }
] as const;

type SeedModel = {
	providerId: string;
	modelId: string;
	displayName: string;
	contextWindow: number;
	maxOutputTokens: number;
	inputPricePerMTok: string;
	outputPricePerMTok: string;
	/** The vendor's published cache prices; OpenAI bills no cache writes, so it has none. */
	cacheReadPricePerMTok: string;
	cacheWritePricePerMTok: string | null;
	capabilities: ModelCapabilities;
};

// Every model in this catalog reads images (PNG, JPEG, WebP, GIF); a discovered one does only when
// its provider says so (Ollama's /api/show) or an admin marks it.
const withTemperature: ModelCapabilities = { temperature: true, vision: true };
// OpenAI's chat models also take a seed for repeatable sampling (Anthropic's API has none).
const openaiSampling: ModelCapabilities = { temperature: true, seed: true, vision: true };
// Reasoning models reject any temperature but the default: the UI disables the slider for them.
const reasoning: ModelCapabilities = { temperature: false, reasoning: true, vision: true };
const noSampling: ModelCapabilities = { temperature: false, vision: true };
// Claude's chats mark their prompt for caching: a turn then re-reads the conversation at a tenth of
// the input price or less, for a 1.25x write of what is new.
const claude = (capabilities: ModelCapabilities): ModelCapabilities => ({
	...capabilities,
	promptCaching: true
});

/*
 * Cache prices are the vendors' published ones: Anthropic's 5-minute cache writes at 1.25x input and
 * reads at 0.1x (0.05x for Opus 5.5); OpenAI's cached input per model (0.1x to 0.5x input).
 */
export const seedModels: SeedModel[] = [
	// Claude 5.x models refuse sampling parameters other than their defaults (400 otherwise).
	{
		providerId: 'anthropic',
		modelId: 'claude-sonnet-5-5',
		displayName: 'Claude Sonnet 5.5',
		contextWindow: 1_000_000,
		maxOutputTokens: 128_000,
		inputPricePerMTok: '2',
		outputPricePerMTok: '10',
		cacheReadPricePerMTok: '0.2',
		cacheWritePricePerMTok: '2.5',
		capabilities: claude(noSampling)
	},
	{
		providerId: 'anthropic',
		modelId: 'claude-opus-5-5',
		displayName: 'Claude Opus 5.5',
		contextWindow: 1_000_000,
		maxOutputTokens: 128_000,
		inputPricePerMTok: '4',
		outputPricePerMTok: '20',
		cacheReadPricePerMTok: '0.2',
		cacheWritePricePerMTok: '5',
		capabilities: claude(noSampling)
	},
	{
		providerId: 'anthropic',
		modelId: 'claude-sonnet-4-6',
		displayName: 'Claude Sonnet 4.6',
		contextWindow: 1_000_000,
		maxOutputTokens: 128_000,
		inputPricePerMTok: '3',
		outputPricePerMTok: '15',
		cacheReadPricePerMTok: '0.3',
		cacheWritePricePerMTok: '3.75',
		capabilities: claude(withTemperature)
	},
	{
		providerId: 'anthropic',
		modelId: 'claude-opus-4-5',
		displayName: 'Claude Opus 4.5',
		contextWindow: 200_000,
		maxOutputTokens: 64_000,
		inputPricePerMTok: '5',
		outputPricePerMTok: '25',
		cacheReadPricePerMTok: '0.5',
		cacheWritePricePerMTok: '6.25',
		capabilities: claude(withTemperature)
	},
	// Retires on 2026-11-30 (the SDK warns on each call): kept so existing chats work until then.
	{
		providerId: 'anthropic',
		modelId: 'claude-sonnet-4-5',
		displayName: 'Claude Sonnet 4.5',
		contextWindow: 200_000,
		maxOutputTokens: 64_000,
		inputPricePerMTok: '3',
		outputPricePerMTok: '15',
		cacheReadPricePerMTok: '0.3',
		cacheWritePricePerMTok: '3.75',
		capabilities: claude(withTemperature)
	},
	{
		providerId: 'anthropic',
		modelId: 'claude-haiku-4-5',
		displayName: 'Claude Haiku 4.5',
		contextWindow: 200_000,
		maxOutputTokens: 64_000,
		inputPricePerMTok: '1',
		outputPricePerMTok: '5',
		cacheReadPricePerMTok: '0.1',
		cacheWritePricePerMTok: '1.25',
		capabilities: claude(withTemperature)
	},
	{
		providerId: 'openai',
		modelId: 'gpt-5',
		displayName: 'GPT-5',
		contextWindow: 400_000,
		maxOutputTokens: 128_000,
		inputPricePerMTok: '1.25',
		outputPricePerMTok: '10',
		cacheReadPricePerMTok: '0.125',
		cacheWritePricePerMTok: null,
		capabilities: reasoning
	},
	{
		providerId: 'openai',
		modelId: 'gpt-5-mini',
		displayName: 'GPT-5 mini',
		contextWindow: 400_000,
		maxOutputTokens: 128_000,
		inputPricePerMTok: '0.25',
		outputPricePerMTok: '2',
		cacheReadPricePerMTok: '0.025',
		cacheWritePricePerMTok: null,
		capabilities: reasoning
	},
	{
		providerId: 'openai',
		modelId: 'gpt-5-nano',
		displayName: 'GPT-5 nano',
		contextWindow: 400_000,
		maxOutputTokens: 128_000,
		inputPricePerMTok: '0.05',
		outputPricePerMTok: '0.4',
		cacheReadPricePerMTok: '0.005',
		cacheWritePricePerMTok: null,
		capabilities: reasoning
	},
	{
		providerId: 'openai',
		modelId: 'gpt-4.1',
		displayName: 'GPT-4.1',
		contextWindow: 1_047_576,
		maxOutputTokens: 32_768,
		inputPricePerMTok: '2',
		outputPricePerMTok: '8',
		cacheReadPricePerMTok: '0.5',
		cacheWritePricePerMTok: null,
		capabilities: openaiSampling
	},
	{
		providerId: 'openai',
		modelId: 'gpt-4.1-mini',
		displayName: 'GPT-4.1 mini',
		contextWindow: 1_047_576,
		maxOutputTokens: 32_768,
		inputPricePerMTok: '0.4',
		outputPricePerMTok: '1.6',
		cacheReadPricePerMTok: '0.1',
		cacheWritePricePerMTok: null,
		capabilities: openaiSampling
	},
	{
		providerId: 'openai',
		modelId: 'gpt-4.1-nano',
		displayName: 'GPT-4.1 nano',
		contextWindow: 1_047_576,
		maxOutputTokens: 32_768,
		inputPricePerMTok: '0.1',
		outputPricePerMTok: '0.4',
		cacheReadPricePerMTok: '0.025',
		cacheWritePricePerMTok: null,
		capabilities: openaiSampling
	},
	{
		providerId: 'openai',
		modelId: 'gpt-4o',
		displayName: 'GPT-4o',
		contextWindow: 128_000,
		maxOutputTokens: 16_384,
		inputPricePerMTok: '2.5',
		outputPricePerMTok: '10',
		cacheReadPricePerMTok: '1.25',
		cacheWritePricePerMTok: null,
		capabilities: openaiSampling
	},
	{
		providerId: 'openai',
		modelId: 'gpt-4o-mini',
		displayName: 'GPT-4o mini',
		contextWindow: 128_000,
		maxOutputTokens: 16_384,
		inputPricePerMTok: '0.15',
		outputPricePerMTok: '0.6',
		cacheReadPricePerMTok: '0.075',
		cacheWritePricePerMTok: null,
		capabilities: openaiSampling
	},
	{
		providerId: 'openai',
		modelId: 'o4-mini',
		displayName: 'o4-mini',
		contextWindow: 200_000,
		maxOutputTokens: 100_000,
		inputPricePerMTok: '1.1',
		outputPricePerMTok: '4.4',
		cacheReadPricePerMTok: '0.275',
		cacheWritePricePerMTok: null,
		capabilities: reasoning
	}
];
