/**
 * How a test (or an out-of-process app via POST /__control/script) tells an emulator what to do with
 * the next chat request(s). Everything is plain JSON so the control endpoint can carry it.
 */

export type FixtureName = 'anthropic-text' | 'anthropic-input-tokens-updated' | 'openai-text-abridged';

export type Scenario = {
	/** Which requests it answers: chat (default) or the model list (only status/headers/delay apply). */
	on?: 'chat' | 'models';
	/** Only requests naming this model use the scenario (default: any model). */
	model?: string;
	/** Text deltas to stream; default the echo answer "Hello from <model>. You said: <last user text>". */
	chunks?: string[];
	/** Milliseconds between deltas. */
	paceMs?: number;
	/** Milliseconds before the response headers. */
	delayMs?: number;
	/** Usage the emulator reports; default estimated from the text. */
	usage?: EmulatedUsage;
	/** The vendor's own finish value: OpenAI 'stop' | 'length', Anthropic 'end_turn' | 'max_tokens', Ollama 'stop' | 'length'. */
	finishReason?: string;
	/** Answer with this HTTP status and the vendor's error body instead of a stream. */
	status?: number;
	/** The vendor error type or code, e.g. 'insufficient_quota' (OpenAI 429), 'overloaded_error'. */
	errorType?: string;
	errorMessage?: string;
	/** Extra response headers, e.g. { 'retry-after-ms': '5' } or { location: 'http://elsewhere/' }. */
	headers?: Record<string, string>;
	/** Send the protocol's in-stream error after this many deltas. */
	errorAfter?: number;
	/** Stop sending (keep the connection open) after this many deltas. */
	stallAfter?: number;
	/** Reset the TCP connection after this many deltas. */
	resetAfter?: number;
	/** End the body without the finish and terminator (no finish_reason/[DONE], message_stop, done: true). */
	omitTerminator?: boolean;
	/** Replay a recorded stream (tests/fixtures/recorded) instead of generating one. */
	fixture?: FixtureName;
	/** Answer this many requests (default 1); `persist: true` keeps it until reset. */
	times?: number;
	persist?: boolean;
};

/**
 * Token figures as the vendor counts them: Anthropic's `inputTokens` are the uncached ones (its cache
 * figures are reported apart), OpenAI's include `cacheReadTokens` (reported as
 * `prompt_tokens_details.cached_tokens`; OpenAI has no cache-write figure). Ollama reports no cache.
 */
export type EmulatedUsage = {
	inputTokens: number;
	outputTokens: number;
	cacheReadTokens?: number;
	cacheWriteTokens?: number;
};

/**
 * A prompt whose last user turn contains this asks for cache figures without a script: as many tokens
 * read from the cache as the prompt's estimate (for OpenAI: all of the prompt), and 100 written
 * (Anthropic only). Handy for out-of-process runs (e2e).
 */
export const CACHE_HIT_MARKER = '[[emulate-cache-hit]]';

export type ModelSpec = {
	id: string;
	displayName?: string;
	contextWindow?: number;
	maxOutputTokens?: number;
	/** Ollama's /api/show lists `vision` among the capabilities (llava-like models). */
	vision?: boolean;
};

export type RecordedRequest = {
	method: string;
	path: string;
	query: Record<string, string>;
	headers: Record<string, string>;
	body: unknown;
	/** True once the client closed the connection before the response finished (abort, timeout). */
	clientClosed: boolean;
	/** True once the response was completely written. */
	finished: boolean;
	/** The scenario that answered it, if any. */
	scenario?: Scenario;
};

/** FIFO of scripted scenarios; the first one matching the request's model answers it. */
export class ScenarioQueue {
	private entries: Scenario[] = [];

	add(...scenarios: Scenario[]): void {
		this.entries.push(...scenarios.map((s) => ({ ...s })));
	}

	take(on: 'chat' | 'models', model: string | undefined): Scenario | undefined {
		const index = this.entries.findIndex(
			(s) => (s.on ?? 'chat') === on && (s.model === undefined || s.model === model)
		);
		if (index < 0) return undefined;
		const scenario = this.entries[index];
		if (!scenario.persist) {
			scenario.times = (scenario.times ?? 1) - 1;
			if (scenario.times <= 0) this.entries.splice(index, 1);
		}
		return scenario;
	}

	clear(): void {
		this.entries = [];
	}
}

export type ChatInput = { model: string; messages: { role: string; content: unknown }[]; system?: unknown };

function textOf(content: unknown): string {
	if (typeof content === 'string') return content;
	if (Array.isArray(content)) {
		return content.map((b) => (b && typeof b === 'object' && 'text' in b ? String(b.text) : '')).join('');
	}
	return '';
}

/** The deterministic default answer, in a few deltas. */
export function echoChunks(input: ChatInput): string[] {
	const lastUser = [...input.messages].reverse().find((m) => m.role === 'user');
	const text = `Hello from ${input.model}. You said: ${textOf(lastUser?.content)}`;
	const words = text.split(/(?<= )/);
	const size = Math.max(1, Math.ceil(words.length / 4));
	const chunks: string[] = [];
	for (let i = 0; i < words.length; i += size) chunks.push(words.slice(i, i + size).join(''));
	return chunks;
}

/** Plausible usage: about four characters per token; with the cache marker, a cache hit. */
export function plausibleUsage(input: ChatInput, chunks: string[]): EmulatedUsage {
	const prompt = textOf(input.system) + input.messages.map((m) => textOf(m.content)).join('');
	const inputTokens = Math.max(1, Math.ceil(prompt.length / 4) + input.messages.length * 3);
	const outputTokens = Math.max(1, Math.ceil(chunks.join('').length / 4));
	const lastUser = [...input.messages].reverse().find((m) => m.role === 'user');
	if (!textOf(lastUser?.content).includes(CACHE_HIT_MARKER)) return { inputTokens, outputTokens };
	return { inputTokens, outputTokens, cacheReadTokens: inputTokens, cacheWriteTokens: 100 };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
