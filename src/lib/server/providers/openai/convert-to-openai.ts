import type OpenAI from 'openai';
import type { ChatMessage, ChatRequest } from '../types';

export type OpenAIChatParams = Omit<OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming, 'stream'>;

/**
 * ChatRequest -> Chat Completions body. The system prompt is a `system` message; the token limit is
 * `max_completion_tokens` (reasoning models reject the deprecated `max_tokens`); temperature only when
 * the caller kept it (the provider manager drops it for models whose capabilities say no). Pure.
 */
export function toOpenAIParams(request: ChatRequest): OpenAIChatParams {
	const messages: OpenAI.Chat.Completions.ChatCompletionMessageParam[] = [];
	if (request.system?.trim()) messages.push({ role: 'system', content: request.system });
	for (const m of request.messages) messages.push(toOpenAIMessage(m));
	return {
		model: request.model,
		messages,
		...(request.maxTokens !== undefined ? { max_completion_tokens: request.maxTokens } : {}),
		...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
		...(request.topP !== undefined ? { top_p: request.topP } : {}),
		...(request.stop?.length ? { stop: request.stop } : {}),
		...(request.seed !== undefined ? { seed: request.seed } : {})
	};
}

/** A user turn with images is a list of parts: the text, then each image as a base64 data URL. */
function toOpenAIMessage(m: ChatMessage): OpenAI.Chat.Completions.ChatCompletionMessageParam {
	if (m.role !== 'user' || !m.images?.length) return { role: m.role, content: m.content };
	return {
		role: 'user',
		content: [
			{ type: 'text', text: m.content },
			...m.images.map((image) => ({
				type: 'image_url' as const,
				image_url: { url: `data:${image.mediaType};base64,${image.data}` }
			}))
		]
	};
}

// /v1/models lists every model of the account: embeddings, speech, images. Only chat models belong
// in a chat picker. This filters discovery; capabilities and prices still come from provider_models.
const nonChatModel =
	/(embedding|tts|whisper|dall-e|davinci|babbage|moderation|image|audio|realtime|transcribe|search|computer-use|sora)/i;

export function isChatModelId(id: string): boolean {
	return !nonChatModel.test(id);
}
