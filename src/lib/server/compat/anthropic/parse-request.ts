import { z } from 'zod';
import type { InlineImage } from '$lib/schemas/attachments';
import { maxTokensSchema, stopSequencesSchema, topPSchema } from '$lib/schemas/common';
import type { CompletionInput } from '$lib/schemas/completions';
import { CompatError } from '../compat-error';
import { checkContentSize, parseWire } from '../read-body';

const block = z.looseObject({
	type: z.string(),
	text: z.string().optional(),
	source: z.looseObject({ type: z.string(), data: z.string().optional() }).optional()
});
const content = z.union([z.string(), z.array(block)]);

const message = z.looseObject({
	role: z.enum(['user', 'assistant'], { error: 'Use user or assistant (system is a top-level field)' }),
	content
});

const conversation = {
	model: z.string().trim().min(1, 'Name a model (GET /v1/models lists them)'),
	system: content.optional(),
	messages: z.array(message).min(1, 'Send at least one message').max(500),
	tools: z.array(z.unknown()).optional()
};

/** The Messages fields Switchboard serves; others (metadata, top_k, service_tier…) are ignored. */
const messagesBody = z.looseObject({
	...conversation,
	max_tokens: maxTokensSchema,
	temperature: z.number().min(0, 'At least 0').max(1, 'At most 1').optional(),
	top_p: topPSchema.optional(),
	stop_sequences: stopSequencesSchema.optional(),
	stream: z.boolean().optional()
});

const countTokensBody = z.looseObject(conversation);

export type ParsedMessages = {
	model: string;
	stream: boolean;
	input: Omit<CompletionInput, 'providerId' | 'modelId'>;
};

function refuse(param: string, message: string): never {
	throw new CompatError('invalid_request', `${param}: ${message}`, { param });
}

/**
 * A content's text (a string, or its text blocks joined) and its `image` blocks, which must carry
 * base64 sources: Switchboard never fetches a URL a request names. Other blocks are refused by name.
 */
function contentOf(value: z.infer<typeof content>, param: string): { text: string; images: InlineImage[] } {
	if (typeof value === 'string') return { text: value, images: [] };
	const texts: string[] = [];
	const images: InlineImage[] = [];
	value.forEach((b, j) => {
		if (b.type === 'text' && typeof b.text === 'string') texts.push(b.text);
		else if (b.type === 'image') {
			if (b.source?.type !== 'base64' || !b.source.data) {
				refuse(`${param}[${j}].source`, 'images must have a base64 source');
			}
			images.push({ data: b.source.data });
		} else {
			refuse(`${param}[${j}].type`, `only text and image blocks are supported, not "${b.type}".`);
		}
	});
	return { text: texts.join(''), images };
}

/** The conversation part both endpoints share: the system prompt and the turns, as text. */
function toConversation(body: z.infer<typeof countTokensBody>) {
	if (body.tools?.length) {
		throw new CompatError('invalid_request', 'tools: tool use is not supported through Switchboard.', {
			param: 'tools'
		});
	}
	const systemContent = body.system === undefined ? undefined : contentOf(body.system, 'system');
	if (systemContent?.images.length) refuse('system', 'the system prompt cannot carry images');
	const system = systemContent?.text ?? '';
	const sized = [{ param: 'system', text: system }];
	const messages: CompletionInput['messages'] = [];
	body.messages.forEach((m, i) => {
		const param = `messages[${i}].content`;
		const { text, images } = contentOf(m.content, param);
		sized.push({ param, text });
		if (images.length && m.role !== 'user') refuse(param, 'only user messages may carry images');
		if (text.trim()) messages.push({ role: m.role, content: text, ...(images.length ? { images } : {}) });
		else if (m.role === 'user') {
			throw new CompatError('invalid_request', `${param}: a user message needs text.`, { param });
		}
	});
	checkContentSize(sized);
	return { messages, ...(system.trim() ? { system } : {}) };
}

/** A Messages body -> the engine's completion input; what the engine cannot honour is refused. Pure. */
export function parseMessagesRequest(raw: unknown): ParsedMessages {
	const body = parseWire(messagesBody, raw);
	return {
		model: body.model,
		stream: body.stream ?? false,
		input: {
			...toConversation(body),
			maxTokens: body.max_tokens,
			...(body.temperature !== undefined ? { temperature: body.temperature } : {}),
			...(body.top_p !== undefined ? { topP: body.top_p } : {}),
			...(body.stop_sequences?.length ? { stop: body.stop_sequences } : {})
		}
	};
}

export function parseCountTokensRequest(raw: unknown) {
	const body = parseWire(countTokensBody, raw);
	return { model: body.model, ...toConversation(body) };
}
