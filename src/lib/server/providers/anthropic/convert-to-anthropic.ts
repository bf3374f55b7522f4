import type Anthropic from '@anthropic-ai/sdk';
import type { ChatMessage, ChatRequest } from '../types';
import { withCacheBreakpoints } from './cache-breakpoints';

/**
 * Anthropic requires max_tokens; the provider manager normally sets it from the model, this is the
 * last resort.
 */
export const DEFAULT_ANTHROPIC_MAX_TOKENS = 4096;

/**
 * SDK 1.x dropped `temperature` and `top_p` from its types (newer models reject them), but the API
 * still takes them for models that allow them, so they are added here and sent as body fields.
 */
export type AnthropicParams = Omit<Anthropic.MessageCreateParamsNonStreaming, 'stream'> & {
	temperature?: number;
	top_p?: number;
};

type Block = Anthropic.TextBlockParam | Anthropic.ImageBlockParam;
/** A turn's content stays a plain string unless it carries an image. */
export type AnthropicTurn = { role: 'user' | 'assistant'; content: string | Block[] };
type Turn = AnthropicTurn;

/** Images first, then the text: Anthropic's guidance for questions about an image. */
function contentOf(m: ChatMessage): Turn['content'] {
	if (m.role !== 'user' || !m.images?.length) return m.content;
	return [
		...m.images.map((image): Block => ({
			type: 'image',
			source: { type: 'base64', media_type: image.mediaType, data: image.data }
		})),
		{ type: 'text', text: m.content }
	];
}

function asBlocks(content: Turn['content']): Block[] {
	return typeof content === 'string' ? [{ type: 'text', text: content }] : content;
}

/** Two turns of one role become one: strings joined by a blank line, otherwise their blocks in order. */
function merge(a: Turn['content'], b: Turn['content']): Turn['content'] {
	if (typeof a === 'string' && typeof b === 'string') return `${a}\n\n${b}`;
	return [...asBlocks(a), ...asBlocks(b)];
}

/**
 * Messages API turns: no system role (it is the top-level `system`), consecutive same-role turns merged,
 * empty turns dropped (the API rejects empty text), and a user turn first. Pure.
 */
export function toAnthropicTurns(messages: readonly ChatMessage[]): { system: string[]; turns: Turn[] } {
	const system: string[] = [];
	const turns: Turn[] = [];
	for (const m of messages) {
		if (m.role === 'system') {
			if (m.content.trim()) system.push(m.content);
			continue;
		}
		if (!m.content.trim() && !m.images?.length) continue;
		const content = contentOf(m);
		const last = turns[turns.length - 1];
		if (last && last.role === m.role) last.content = merge(last.content, content);
		else turns.push({ role: m.role, content });
	}
	// A conversation that opens with the assistant (a greeting) still needs a user turn before it.
	if (turns[0]?.role === 'assistant') turns.unshift({ role: 'user', content: '(conversation start)' });
	return { system, turns };
}

/** `promptCaching` puts cache breakpoints on the system prompt and the conversation so far. */
export function toAnthropicParams(request: ChatRequest): AnthropicParams {
	const converted = toAnthropicTurns(request.messages);
	const systemText = [request.system ?? '', ...converted.system].filter((s) => s.trim()).join('\n\n');
	const { system, turns } = request.promptCaching
		? withCacheBreakpoints(systemText, converted.turns)
		: { system: systemText || undefined, turns: converted.turns };
	return {
		model: request.model,
		max_tokens: request.maxTokens ?? DEFAULT_ANTHROPIC_MAX_TOKENS,
		messages: turns,
		...(system ? { system } : {}),
		...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
		...(request.topP !== undefined ? { top_p: request.topP } : {}),
		...(request.stop?.length ? { stop_sequences: request.stop } : {})
	};
}
