/**
 * What a compatible-API handler answers, before it meets a transport. The Node server writes it to
 * the socket itself (http/node-routes.ts: no web stream between the event log and the socket);
 * SvelteKit's routes (`vite dev`) get it as a Response (toResponse).
 */
export type CompatReply =
	| { kind: 'json'; status: number; headers: Record<string, string>; body: unknown }
	| {
			kind: 'sse';
			headers: Record<string, string>;
			/** Whole SSE frames, in order (sseFrame). */
			frames: AsyncIterable<string>;
			/** The client went away before the last frame: stop what produces them. */
			cancel(): Promise<void>;
	  };

export type SseReply = Extract<CompatReply, { kind: 'sse' }>;

export function jsonReply(
	body: unknown,
	options: { status?: number; headers?: Record<string, string> } = {}
): CompatReply {
	return { kind: 'json', status: options.status ?? 200, headers: options.headers ?? {}, body };
}

const sseHeaders: Readonly<Record<string, string>> = {
	'content-type': 'text/event-stream; charset=utf-8',
	'cache-control': 'no-cache',
	connection: 'keep-alive',
	// Proxies (nginx) must pass each event on at once.
	'x-accel-buffering': 'no'
};

/** Server-sent events from an async source of frames, stopping the source if the client leaves. */
export function sseReply(
	frames: AsyncIterable<string>,
	options: { headers?: Record<string, string>; onCancel: () => Promise<void> }
): CompatReply {
	return { kind: 'sse', headers: { ...sseHeaders, ...options.headers }, frames, cancel: options.onCancel };
}

/** The reply as a fetch Response, for SvelteKit's routes (`vite dev`). */
export function toResponse(reply: CompatReply): Response {
	if (reply.kind === 'json') {
		return Response.json(reply.body, { status: reply.status, headers: reply.headers });
	}
	const encoder = new TextEncoder();
	const iterator = reply.frames[Symbol.asyncIterator]();
	const body = new ReadableStream<Uint8Array>({
		async pull(controller) {
			const next = await iterator.next();
			if (next.done) controller.close();
			else controller.enqueue(encoder.encode(next.value));
		},
		async cancel() {
			await reply.cancel();
			await iterator.return?.();
		}
	});
	return new Response(body, { headers: reply.headers });
}
