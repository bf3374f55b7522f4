import { z } from 'zod';
import { maxTokensSchema, temperatureSchema, topPSchema } from '$lib/schemas/common';
import type { CompletionInput } from '$lib/schemas/completions';
import { CompatError } from '../compat-error';
import { checkContentSize, parseWire } from '../read-body';

const part = z.looseObject({ type: z.string(), text: z.string().optional() });

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

/** The text of one message: a string, or its text parts joined; other parts are refused by name. */
function textOf(content: z.infer<typeof message>['content'], param: string): string {
	if (typeof content === 'string') return content;
	if (!content) return '';
	return content
		.map((p, j) => {
			if (p.type !== 'text' || typeof p.text !== 'string') {
				throw new CompatError(
					'invalid_request',
					`${param}[${j}]: only text content parts are supported, not "${p.type}".`,
					{ param: `${param}[${j}].type` }
				);
			}
			return p.text;
		})
		.join('');
}

function refuse(param: string, message: string): never {
	throw new CompatError('invalid_request', `${param}: ${message}`, { param });
}

/**
 * A Chat Completions body -> the engine's completion input. System and developer messages become the
 * system prompt (in order); empty assistant turns are dropped; anything the engine cannot honour
 * (n > 1, tools, non-text parts) is refused rather than silently ignored. Pure.
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
		const text = textOf(m.content, param);
		sized.push({ param, text });
		if (m.role === 'system' || m.role === 'developer') {
			if (text.trim()) system.push(text);
		} else if (text.trim()) {
			messages.push({ role: m.role, content: text });
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
