import { z } from 'zod';
import { maxTokensSchema, stopSequencesSchema, topPSchema } from '$lib/schemas/common';
import type { CompletionInput } from '$lib/schemas/completions';
import { CompatError } from '../compat-error';
import { checkContentSize, parseWire } from '../read-body';

const block = z.looseObject({ type: z.string(), text: z.string().optional() });
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

function textOf(value: z.infer<typeof content>, param: string): string {
	if (typeof value === 'string') return value;
	return value
		.map((b, j) => {
			if (b.type !== 'text' || typeof b.text !== 'string') {
				throw new CompatError(
					'invalid_request',
					`${param}[${j}].type: only text blocks are supported, not "${b.type}".`,
					{ param: `${param}[${j}].type` }
				);
			}
			return b.text;
		})
		.join('');
}

/** The conversation part both endpoints share: the system prompt and the turns, as text. */
function toConversation(body: z.infer<typeof countTokensBody>) {
	if (body.tools?.length) {
		throw new CompatError('invalid_request', 'tools: tool use is not supported through Switchboard.', {
			param: 'tools'
		});
	}
	const system = body.system === undefined ? '' : textOf(body.system, 'system');
	const sized = [{ param: 'system', text: system }];
	const messages: CompletionInput['messages'] = [];
	body.messages.forEach((m, i) => {
		const param = `messages[${i}].content`;
		const text = textOf(m.content, param);
		sized.push({ param, text });
		if (text.trim()) messages.push({ role: m.role, content: text });
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
