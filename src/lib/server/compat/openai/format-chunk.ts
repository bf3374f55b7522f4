import type { AnswerEvent } from '../run-generation';
import { providerCompatError } from '../compat-error';
import { openAIErrorBody } from './format-error';
import { toOpenAIFinishReason, toOpenAIUsage, type CompletionMeta } from './format-response';

function chunk(meta: CompletionMeta, choices: unknown[], usage?: ReturnType<typeof toOpenAIUsage> | null) {
	return {
		id: meta.id,
		object: 'chat.completion.chunk' as const,
		created: meta.created,
		model: meta.model,
		system_fingerprint: null,
		choices,
		...(usage !== undefined ? { usage } : {})
	};
}

/**
 * Engine events -> the `data:` payloads of a streamed Chat Completion, as OpenAI sends them: a first
 * chunk with the role, one chunk per delta, a chunk with `finish_reason`, with `include_usage` a
 * last chunk with empty choices and the usage (every other chunk then has `usage: null`), and
 * `[DONE]`. A failure after the first token is an `{error}` payload (the SDKs throw it). Pure.
 */
export function* formatChunks(
	meta: CompletionMeta,
	event: AnswerEvent,
	state: { started: boolean },
	includeUsage: boolean
): Generator<unknown> {
	const usageField = includeUsage ? null : undefined;
	if (!state.started) {
		state.started = true;
		yield chunk(
			meta,
			[{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }],
			usageField
		);
	}
	if (event.type === 'delta') {
		yield chunk(
			meta,
			[{ index: 0, delta: { content: event.text }, logprobs: null, finish_reason: null }],
			usageField
		);
	} else if (event.type === 'done') {
		const finishReason = toOpenAIFinishReason(event.finishReason);
		yield chunk(meta, [{ index: 0, delta: {}, logprobs: null, finish_reason: finishReason }], usageField);
		if (includeUsage) yield chunk(meta, [], toOpenAIUsage(event.usage));
		yield '[DONE]';
	} else {
		yield openAIErrorBody(providerCompatError(event.error));
	}
}
