import { APIError, OpenAIError } from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { sseItems } from '../sse-items';
import type { SseEvent } from '../sse-parser';

/**
 * The chunks of a streamed Chat Completions response, exactly as the SDK's Stream.fromSSEResponse
 * yields them, from the raw Response its `.asResponse()` gives (the request, its headers, its
 * timeout and its error statuses stay the SDK's). Reading the body ourselves spares each delta the
 * web stream and the SDK's byte-level decoders (three async generators, a copy of the buffer per
 * chunk): `openai-chunks.test.ts` holds the two to the same output on recorded streams cut every way.
 *
 * As the SDK does: `data: [DONE]` ends the chunks (what follows is read and dropped); an event whose
 * data carries `error` throws APIError; data that is not JSON throws; an abort ends the chunks
 * quietly (the caller checks its signal); a body that ends without [DONE] just ends.
 */
export function openAIChunks(response: Response): AsyncGenerator<ChatCompletionChunk, void, undefined> {
	let done = false;
	const chunkOf = (sse: SseEvent): ChatCompletionChunk | null => {
		if (done) return null;
		if (sse.data.startsWith('[DONE]')) {
			done = true;
			return null;
		}
		const data = JSON.parse(sse.data);
		if (sse.event === null || !sse.event.startsWith('thread.')) {
			if (data && data.error) throw new APIError(undefined, data.error, undefined, response.headers);
			return data as ChatCompletionChunk;
		}
		// Assistants' events, which Chat Completions does not send; kept as the SDK has them.
		if (sse.event === 'error') throw new APIError(undefined, data.error, data.message, undefined);
		return { event: sse.event, data } as unknown as ChatCompletionChunk;
	};
	return sseItems(
		response,
		chunkOf,
		() => new OpenAIError('Attempted to iterate over a response with no body')
	);
}
