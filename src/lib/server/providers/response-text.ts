import { bodyFailure, takeNodeBody } from './dispatcher-fetch';

/**
 * A streamed response body as text, chunk by chunk as it arrives (UTF-8 kept whole across chunks):
 * straight from the Node stream when the Response came from our fetch (dispatcher-fetch.ts), else
 * through its web body. Leaving the loop early ends the body, and with it the request. A failure
 * mid-body throws what the web body would: the signal's reason after an abort, else
 * TypeError('terminated') with the cause.
 */
export async function* responseText(response: Response): AsyncGenerator<string, void, undefined> {
	const node = takeNodeBody(response);
	if (node) {
		node.setEncoding('utf8');
		try {
			for await (const chunk of node) yield chunk as string;
		} catch (error) {
			throw bodyFailure(response, error);
		}
		return;
	}
	if (!response.body) return;
	const reader = response.body.getReader();
	const decoder = new TextDecoder();
	let ended = false;
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) break;
			const text = decoder.decode(value, { stream: true });
			if (text) yield text;
		}
		ended = true;
		const tail = decoder.decode();
		if (tail) yield tail;
	} finally {
		if (!ended) await reader.cancel().catch(() => {});
		reader.releaseLock();
	}
}
