import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { getRequest } from '@sveltejs/kit/node';

/** What adapter-node hands the app beside the request (SvelteKit's `event.platform`). */
export type NodePlatform = { req: IncomingMessage };

export type FetchHandler = (
	request: Request,
	clientAddress: string,
	platform: NodePlatform
) => Promise<Response>;

export type TestServer = { url: string; close(): Promise<void> };

export type TestServerOptions = {
	/**
	 * Build each Request the way the built app (adapter-node) does, with SvelteKit's own `getRequest`:
	 * its body size limit (adapter-node's default is 512 KB) and its `request.signal`, which aborts
	 * only while the body is being read. Without it the Request's signal aborts whenever the
	 * connection closes early.
	 */
	adapterNode?: { bodySizeLimit: number };
	/**
	 * Asked first with Node's own request and response, as scripts/start.mjs asks the app's lean
	 * route (http/node-routes.ts); true when it answered, and the fetch handler is skipped.
	 */
	nodeRoute?: (req: IncomingMessage, res: ServerResponse) => boolean;
};

/** adapter-node's default BODY_SIZE_LIMIT. */
export const ADAPTER_NODE_BODY_LIMIT = 512 * 1024;

function plainRequest(req: IncomingMessage, origin: string, signal: AbortSignal): Request {
	const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
	const headers = new Headers();
	for (const [name, value] of Object.entries(req.headers)) {
		if (Array.isArray(value)) value.forEach((v) => headers.append(name, v));
		else if (value !== undefined) headers.set(name, value);
	}
	return new Request(`${origin}${req.url}`, {
		method: req.method,
		headers,
		body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
		signal,
		// @ts-expect-error Node's fetch needs `duplex` for streamed request bodies.
		duplex: 'half'
	});
}

/**
 * Serves a fetch-style handler over real HTTP on a free loopback port, so tests talk to the API the
 * way the SDK and browsers do: real sockets, real SSE, real disconnects.
 */
export async function startTestServer(
	handle: FetchHandler,
	options: TestServerOptions = {}
): Promise<TestServer> {
	const server = http.createServer((req, res) => {
		if (options.nodeRoute?.(req, res)) return;
		void (async () => {
			const aborter = new AbortController();
			res.on('close', () => {
				if (!res.writableFinished) aborter.abort();
			});
			const { port } = server.address() as AddressInfo;
			const origin = `http://127.0.0.1:${port}`;
			const request = options.adapterNode
				? await getRequest({ request: req, base: origin, bodySizeLimit: options.adapterNode.bodySizeLimit })
				: plainRequest(req, origin, aborter.signal);
			const response = await handle(request, req.socket.remoteAddress ?? '127.0.0.1', { req });
			const outHeaders: [string, string][] = [];
			response.headers.forEach((value, name) => {
				if (name !== 'set-cookie') outHeaders.push([name, value]);
			});
			for (const cookie of response.headers.getSetCookie()) outHeaders.push(['set-cookie', cookie]);
			res.writeHead(response.status, outHeaders.flat());
			if (!response.body) return void res.end();
			const reader = response.body.getReader();
			aborter.signal.addEventListener('abort', () => void reader.cancel().catch(() => {}));
			for (;;) {
				const { done, value } = await reader.read();
				if (done) break;
				res.write(value);
			}
			res.end();
		})().catch((error: unknown) => {
			if (!res.headersSent) res.writeHead(500);
			res.end(String(error));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			})
	};
}
