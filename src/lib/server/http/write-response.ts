import type { ServerResponse } from 'node:http';
import { pipeToSocket } from './write-reply';

/**
 * Writes a fetch Response (tRPC's) to Node's response, as adapter-node does, minus SvelteKit:
 * the head with every set-cookie kept apart, then the body chunk by chunk, held back while the
 * socket is full. A client that leaves cancels the body, which ends a subscription's stream.
 * `onHead` is told the status once the head is written.
 */
export async function writeResponse(
	response: Response,
	res: ServerResponse,
	onHead: (status: number) => void
): Promise<void> {
	res.writeHead(response.status, nodeHeaders(response.headers));
	onHead(response.status);
	if (!response.body) {
		res.end();
		return;
	}
	const reader = response.body.getReader();
	await pipeToSocket({ next: () => reader.read(), cancel: () => reader.cancel() }, res);
}

/** Fetch headers as Node writes them: each set-cookie kept apart (fetch would join them with commas). */
export function nodeHeaders(headers: Headers): Record<string, string | string[]> {
	const out: Record<string, string | string[]> = {};
	headers.forEach((value, name) => {
		if (name !== 'set-cookie') out[name] = value;
	});
	const cookies = headers.getSetCookie();
	if (cookies.length) out['set-cookie'] = cookies;
	return out;
}
