import http from 'node:http';
import { Readable } from 'node:stream';
import type { AddressInfo } from 'node:net';

export type FetchHandler = (request: Request, clientAddress: string) => Promise<Response>;

export type TestServer = { url: string; close(): Promise<void> };

/**
 * Serves a fetch-style handler over real HTTP on a free loopback port, so tests talk to the API the
 * way the SDK and browsers do: real sockets, real SSE, real disconnects.
 */
export async function startTestServer(handle: FetchHandler): Promise<TestServer> {
	const server = http.createServer((req, res) => {
		void (async () => {
			const aborter = new AbortController();
			res.on('close', () => {
				if (!res.writableFinished) aborter.abort();
			});
			const { port } = server.address() as AddressInfo;
			const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
			const headers = new Headers();
			for (const [name, value] of Object.entries(req.headers)) {
				if (Array.isArray(value)) value.forEach((v) => headers.append(name, v));
				else if (value !== undefined) headers.set(name, value);
			}
			const request = new Request(`http://127.0.0.1:${port}${req.url}`, {
				method: req.method,
				headers,
				body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
				signal: aborter.signal,
				// @ts-expect-error Node's fetch needs `duplex` for streamed request bodies.
				duplex: 'half'
			});
			const response = await handle(request, req.socket.remoteAddress ?? '127.0.0.1');
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
