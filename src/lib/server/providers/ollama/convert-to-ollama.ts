import type { ChatRequest } from '../types';

export type OllamaChatParams = {
	model: string;
	/** `images`: base64 without a data-URL prefix, as /api/chat takes them. */
	messages: { role: 'system' | 'user' | 'assistant'; content: string; images?: string[] }[];
	options?: { temperature?: number; num_predict?: number; top_p?: number; stop?: string[] };
};

/**
 * ChatRequest -> /api/chat body: the system prompt as a leading system message; temperature, the
 * token limit (`num_predict`), top_p and stop under `options`, and only when set. Pure.
 */
export function toOllamaParams(request: ChatRequest): OllamaChatParams {
	const messages: OllamaChatParams['messages'] = [];
	if (request.system?.trim()) messages.push({ role: 'system', content: request.system });
	for (const m of request.messages) {
		messages.push({
			role: m.role,
			content: m.content,
			...(m.role === 'user' && m.images?.length ? { images: m.images.map((i) => i.data) } : {})
		});
	}
	const options: NonNullable<OllamaChatParams['options']> = {};
	if (request.temperature !== undefined) options.temperature = request.temperature;
	if (request.maxTokens !== undefined) options.num_predict = request.maxTokens;
	if (request.topP !== undefined) options.top_p = request.topP;
	if (request.stop?.length) options.stop = request.stop;
	return { model: request.model, messages, ...(Object.keys(options).length ? { options } : {}) };
}

/** The context length from /api/show's model_info (`<architecture>.context_length`). */
export function contextLengthFromModelInfo(info: Record<string, unknown> | null | undefined): number | null {
	if (!info) return null;
	const arch = info['general.architecture'];
	const exact = typeof arch === 'string' ? info[`${arch}.context_length`] : undefined;
	const value = exact ?? Object.entries(info).find(([k]) => k.endsWith('.context_length'))?.[1];
	return typeof value === 'number' && value > 0 ? value : null;
}
