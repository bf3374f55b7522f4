import { z } from 'zod';
import type { InlineImage } from '$lib/schemas/attachments';
import { maxTokensSchema, temperatureSchema, topPSchema } from '$lib/schemas/common';
import type { CompletionInput } from '$lib/schemas/completions';
import { CompatError } from '../compat-error';
import { checkContentSize, parseWire } from '../read-body';

const part = z.looseObject({
	type: z.string(),
	text: z.string().optional(),
	image_url: z.looseObject({ url: z.string() }).optional()
});

const message = z.looseObject({
	role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function'], {
		error: 'Use one of system, developer, user, assistant'
	}),
	content: z.union([z.string(), z.array(part)]).nullish()
});

/** The Chat Completions fields Switchboard serves; others (penalties, seed, metadata…) are ignored. */
const chatCompletionBody = z.looseObject({
	model: z.string().trim().min(1, 'Name a model (GET /v1/models lists them)'),
	messages: z.array(message).min(1, 'Send at least one message').max(500),
	stream: z.boolean().nullish(),
	stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
	temperature: temperatureSchema.nullish(),
	top_p: topPSchema.nullish(),
	max_tokens: maxTokensSchema.nullish(),
	max_completion_tokens: maxTokensSchema.nullish(),
	stop: z.union([z.string().min(1), z.array(z.string().min(1)).max(4, 'At most 4 stop sequences')]).nullish(),
	n: z.number().int().nullish(),
	user: z.string().max(256).optional(),
	tools: z.array(z.unknown()).nullish(),
	functions: z.array(z.unknown()).nullish()
});

export type ChatCompletionBody = z.infer<typeof chatCompletionBody>;

export type ParsedChatCompletion = {
	/** The client's model name, resolved by resolve-model.ts. */
	model: string;
	stream: boolean;
	includeUsage: boolean;
	input: Omit<CompletionInput, 'providerId' | 'modelId'>;
};

const dataUrl = /^data:image\/[a-z0-9.+-]+;base64,([A-Za-z0-9+/]*={0,2})$/i;

/**
 * One message's text (a string, or its text parts joined) and its `image_url` parts, which must be
 * base64 data URLs: Switchboard never fetches a URL a request names. Other parts are refused by name.
 */
function contentOf(
	content: z.infer<typeof message>['content'],
	param: string
): { text: string; images: InlineImage[] } {
	if (typeof content === 'string') return { text: content, images: [] };
	const texts: string[] = [];
	const images: InlineImage[] = [];
	(content ?? []).forEach((p, j) => {
		if (p.type === 'text' && typeof p.text === 'string') texts.push(p.text);
		else if (p.type === 'image_url' && p.image_url) {
			const data = dataUrl.exec(p.image_url.url)?.[1];
			if (!data)
				refuse(`${param}[${j}].image_url.url`, 'images must be base64 data URLs (data:image/png;base64,…)');
			images.push({ data });
		} else {
			throw new CompatError(
				'invalid_request',
				`${param}[${j}]: only text and image_url content parts are supported, not "${p.type}".`,
				{ param: `${param}[${j}].type` }
			);
		}
	});
	return { text: texts.join(''), images };
}

function refuse(param: string, message: string): never {
	throw new CompatError('invalid_request', `${param}: ${message}`, { param });
}

/**
 * A Chat Completions body -> the engine's completion input. System and developer messages become the
 * system prompt (in order); empty assistant turns are dropped; anything the engine cannot honour
 * (n > 1, tools, parts other than text and images) is refused rather than silently ignored. Pure.
 */
export function parseChatCompletionRequest(raw: unknown): ParsedChatCompletion {
	const body = parseWire(chatCompletionBody, raw);
	if (body.n !== null && body.n !== undefined && body.n !== 1) refuse('n', 'only n=1 is supported');
	if (body.tools?.length) refuse('tools', 'tool calling is not supported through Switchboard');
	if (body.functions?.length) refuse('functions', 'function calling is not supported through Switchboard');

	const system: string[] = [];
	const messages: CompletionInput['messages'] = [];
	const sized: { param: string; text: string }[] = [];
	body.messages.forEach((m, i) => {
		const param = `messages[${i}].content`;
		if (m.role === 'tool' || m.role === 'function')
			refuse(`messages[${i}].role`, 'tool results are not supported');
		const { text, images } = contentOf(m.content, param);
		sized.push({ param, text });
		if (images.length && m.role !== 'user') refuse(param, 'only user messages may carry images');
		if (m.role === 'system' || m.role === 'developer') {
			if (text.trim()) system.push(text);
		} else if (text.trim()) {
			messages.push({ role: m.role, content: text, ...(images.length ? { images } : {}) });
		} else if (m.role === 'user') {
			refuse(param, 'a user message needs text');
		}
	});
	checkContentSize(sized);
	if (messages.length === 0) refuse('messages', 'send at least one user message');
	const stop = typeof body.stop === 'string' ? [body.stop] : (body.stop ?? undefined);
	return {
		model: body.model,
		stream: body.stream ?? false,
		includeUsage: body.stream_options?.include_usage ?? false,
		input: {
			messages,
			...(system.length ? { system: system.join('\n\n') } : {}),
			...(body.temperature != null ? { temperature: body.temperature } : {}),
			...(body.top_p != null ? { topP: body.top_p } : {}),
			...((body.max_completion_tokens ?? body.max_tokens) != null
				? { maxTokens: (body.max_completion_tokens ?? body.max_tokens)! }
				: {}),
			...(stop?.length ? { stop } : {})
		}
	};
}
