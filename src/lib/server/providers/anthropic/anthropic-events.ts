import { AnthropicError, APIError } from '@anthropic-ai/sdk';
import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages/messages';
import type { ErrorType } from '@anthropic-ai/sdk/resources/shared';
import { sseItems } from '../sse-items';
import type { SseEvent } from '../sse-parser';

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
export function anthropicEvents(response: Response): AsyncGenerator<RawMessageStreamEvent, void, undefined> {
	const eventOf = (sse: SseEvent): RawMessageStreamEvent | null => {
		if (sse.event === 'ping' || sse.event === null) return null;
		if (sse.event === 'error') {
			const body = safeJSON(sse.data) ?? sse.data;
			// The SDK reads the type from whatever the body is, unchecked, as here.
			const type = (body as { error?: { type?: ErrorType } } | null)?.error?.type;
			throw new APIError(undefined, body, undefined, response.headers, type);
		}
		if (!sse.data) return null;
		return JSON.parse(sse.data) as RawMessageStreamEvent;
	};
	return sseItems(
		response,
		eventOf,
		() => new AnthropicError('Attempted to iterate over a response with no body')
	);
}

function safeJSON(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}
