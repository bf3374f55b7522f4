import { responseText } from './response-text';
import { SseParser, type SseEvent } from './sse-parser';

/**
 * What a streamed response's server-sent events carry, each event mapped by `itemOf` (null skips
 * it), read as both SDKs' streams read them: no body throws `noBody()` at the first read, an abort
 * ends the items quietly (the caller checks its own signal), any other failure is thrown.
 */
export async function* sseItems<T>(
	response: Response,
	itemOf: (sse: SseEvent) => T | null,
	noBody: () => Error
): AsyncGenerator<T, void, undefined> {
	if (!response.body) throw noBody();
	const parser = new SseParser();
	try {
		for await (const text of responseText(response)) {
			for (const sse of parser.push(text)) {
				const item = itemOf(sse);
				if (item !== null) yield item;
			}
		}
		for (const sse of parser.end()) {
			const item = itemOf(sse);
			if (item !== null) yield item;
		}
	} catch (error) {
		if (isAbortError(error)) return;
		throw error;
	}
}

/** Whether a failure is an aborted read, as both SDKs test it (their internal isAbortError). */
function isAbortError(error: unknown): boolean {
	return typeof error === 'object' && error !== null && 'name' in error && error.name === 'AbortError';
}
