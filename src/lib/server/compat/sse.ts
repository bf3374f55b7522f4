/** Server-sent events from an async source of `data` payloads, stopping the source if the client leaves. */
export function sseResponse(
	frames: AsyncIterable<string>,
	options: { headers?: Record<string, string>; onCancel: () => Promise<void> }
): Response {
	const encoder = new TextEncoder();
	const iterator = frames[Symbol.asyncIterator]();
	const body = new ReadableStream<Uint8Array>({
		async pull(controller) {
			const next = await iterator.next();
			if (next.done) controller.close();
			else controller.enqueue(encoder.encode(next.value));
		},
		async cancel() {
			await options.onCancel();
			await iterator.return?.();
		}
	});
	return new Response(body, {
		headers: {
			'content-type': 'text/event-stream; charset=utf-8',
			'cache-control': 'no-cache',
			connection: 'keep-alive',
			// Proxies (nginx) must pass each event on at once.
			'x-accel-buffering': 'no',
			...options.headers
		}
	});
}

/** One SSE frame; `event` names it for protocols (Anthropic) that type their events. */
export function sseFrame(data: unknown, event?: string): string {
	const payload = typeof data === 'string' ? data : JSON.stringify(data);
	return `${event ? `event: ${event}\n` : ''}data: ${payload}\n\n`;
}
