import type { ChatRow } from '../db/repositories/chat-repository';
import type { ChatRequest } from '../providers/types';

const fields = ['temperature', 'maxTokens', 'topP', 'stopSequences', 'seed'] as const;

/** A message's sampling overrides, as `chats.send`, `chats.edit` and `chats.compare` take them. */
export type SamplingInput = Partial<Pick<ChatRow, (typeof fields)[number]>>;

/**
 * What a message asks for beyond the chat's settings: each field given (null clears it) is saved on
 * the chat like a settings change; the request uses the result. The provider manager later drops
 * what the answering model does not take (provider-manager.ts `prepareRequest`).
 */
export function resolveSampling(chat: ChatRow, input: SamplingInput) {
	const patch: SamplingInput = {};
	for (const field of fields) {
		if (input[field] !== undefined) Object.assign(patch, { [field]: input[field] });
	}
	const merged = { ...chat, ...patch };
	const request: Pick<ChatRequest, 'temperature' | 'maxTokens' | 'topP' | 'stop' | 'seed'> = {
		temperature: merged.temperature ?? undefined,
		maxTokens: merged.maxTokens ?? undefined,
		topP: merged.topP ?? undefined,
		stop: merged.stopSequences?.length ? merged.stopSequences : undefined,
		seed: merged.seed ?? undefined
	};
	return { patch, request };
}
