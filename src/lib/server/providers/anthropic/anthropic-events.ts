import { AnthropicError, APIError } from '@anthropic-ai/sdk';
import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages/messages';
import { isAbortError, responseText } from '../response-text';
import { SseParser, type SseEvent } from '../sse-parser';

/**
 * The events of a streamed Messages response, exactly as the SDK's Stream.fromSSEResponse yields
 * them, from the raw Response its `.asResponse()` gives (the request, its headers, its timeout and
 * its error statuses stay the SDK's). As openai-chunks.ts does for OpenAI, and for the same reason:
 * each delta skips the web stream and the SDK's decoders; `anthropic-events.test.ts` holds the two
 * to the same output.
 *
 * As the SDK does: `ping` and events without a name are skipped, as is one without data; an `error`
 * event throws APIError with its body (its JSON if it parses) and type; data that is not JSON
 * throws; an abort ends the events quietly (the caller checks its signal).
 */
export async function* anthropicEvents(
	response: Response
): AsyncGenerator<RawMessageStreamEvent, void, undefined> {
	if (!response.body) throw new AnthropicError('Attempted to iterate over a response with no body');
	const parser = new SseParser();
	/** The event an SSE event carries; null for those the SDK skips. */
	const eventOf = (sse: SseEvent): RawMessageStreamEvent | null => {
		if (sse.event === 'ping' || sse.event === null) return null;
		if (sse.event === 'error') {
			const body = safeJSON(sse.data) ?? sse.data;
			const type = (body as { error?: { type?: string } } | null)?.error?.type;
			throw new APIError(undefined, body, undefined, response.headers, type as never);
		}
		if (!sse.data) return null;
		return JSON.parse(sse.data) as RawMessageStreamEvent;
	};
	try {
		for await (const text of responseText(response)) {
			for (const sse of parser.push(text)) {
				const event = eventOf(sse);
				if (event) yield event;
			}
		}
		for (const sse of parser.end()) {
			const event = eventOf(sse);
			if (event) yield event;
		}
	} catch (error) {
		if (isAbortError(error)) return;
		throw error;
	}
}

function safeJSON(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}
