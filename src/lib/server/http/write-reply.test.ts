import http, { type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { jsonReply, sseReply, type CompatReply } from '../compat/reply';
import { sseFrame } from '../compat/sse';
import { writeReply } from './write-reply';

let server: http.Server | undefined;

afterEach(async () => {
	server?.closeAllConnections();
	await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
	server = undefined;
});

/** A server that answers every request with `reply()`, and the heads it reported. */
async function serve(reply: () => CompatReply) {
	const heads: number[] = [];
	const done: Promise<void>[] = [];
	server = http.createServer((_req, res: ServerResponse) => {
		done.push(writeReply(reply(), res, (status) => heads.push(status)));
	});
	await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return { url: `http://127.0.0.1:${port}`, heads, done };
}

describe('writeReply', () => {
	it('writes JSON with its status, headers and length', async () => {
		const { url, heads } = await serve(() =>
			jsonReply({ error: { message: 'Wait' } }, { status: 429, headers: { 'retry-after': '3' } })
		);
		const response = await fetch(url);
		expect(response.status).toBe(429);
		expect(response.headers.get('retry-after')).toBe('3');
		expect(response.headers.get('content-type')).toBe('application/json');
		expect(await response.json()).toEqual({ error: { message: 'Wait' } });
		expect(heads).toEqual([429]);
	});

	it('writes every SSE frame in order, then ends', async () => {
		async function* frames() {
			for (let i = 0; i < 50; i++) yield sseFrame({ i });
			yield sseFrame('[DONE]');
		}
		const { url, done } = await serve(() => sseReply(frames(), { onCancel: async () => {} }));
		const response = await fetch(url);
		expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
		const text = await response.text();
		const expected =
			Array.from({ length: 50 }, (_, i) => `data: {"i":${i}}\n\n`).join('') + 'data: [DONE]\n\n';
		expect(text).toBe(expected);
		await Promise.all(done);
	});

	it('cancels the source once when the client leaves mid-stream', async () => {
		let cancels = 0;
		let release: () => void = () => {};
		const cancelled = new Promise<void>((resolve) => (release = resolve));
		async function* frames() {
			yield sseFrame('first');
			// The source waits (as an answer between tokens) until it is stopped.
			await cancelled;
		}
		const { url, done } = await serve(() =>
			sseReply(frames(), {
				onCancel: async () => {
					cancels++;
					release();
				}
			})
		);
		const aborter = new AbortController();
		const response = await fetch(url, { signal: aborter.signal });
		const reader = response.body!.getReader();
		expect(new TextDecoder().decode((await reader.read()).value)).toBe('data: first\n\n');
		aborter.abort();
		await Promise.all(done);
		expect(cancels).toBe(1);
	});

	it('holds the source back while the client does not read', async () => {
		const frame = sseFrame('x'.repeat(64 * 1024));
		let pulled = 0;
		async function* frames() {
			for (let i = 0; i < 1000; i++) {
				pulled++;
				yield frame;
			}
		}
		const { url } = await serve(() => sseReply(frames(), { onCancel: async () => {} }));
		const paused = await new Promise<http.IncomingMessage>((resolve) => {
			http.get(url, (res) => {
				res.pause();
				resolve(res);
			});
		});
		await new Promise((resolve) => setTimeout(resolve, 300));
		// 1,000 frames are 64 MB; only what the socket buffers hold was taken from the source.
		expect(pulled).toBeLessThan(500);
		paused.destroy();
	});
});
