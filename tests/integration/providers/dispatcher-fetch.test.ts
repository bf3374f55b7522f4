import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatcherFetch, takeNodeBody } from '$lib/server/providers/dispatcher-fetch';
import { responseText } from '$lib/server/providers/response-text';

type Seen = { method: string; url: string; headers: IncomingMessage['headers']; body: string };

let server: Server;
let origin: string;
const seen: Seen[] = [];
const closed: string[] = [];
const agent = new Agent();
const fetchOut = dispatcherFetch(agent);

function route(req: IncomingMessage, res: ServerResponse, body: string) {
	seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
	res.on('close', () => closed.push(req.url ?? ''));
	if (req.url?.startsWith('/echo')) {
		res.writeHead(201, [
			['content-type', 'text/plain'],
			['set-cookie', 'a=1'],
			['set-cookie', 'b=2']
		]);
		res.write('first,');
		setTimeout(() => res.end('second'), 5);
	} else if (req.url === '/empty') {
		res.writeHead(204).end();
	} else if (req.url === '/moved') {
		res.writeHead(302, { location: '/elsewhere' }).end('see elsewhere');
	} else if (req.url === '/slow-head') {
		// Never answers: the client's abort ends it.
	} else if (req.url === '/reset') {
		res.writeHead(200, { 'content-type': 'text/event-stream' });
		res.write('data: 1\n\n');
		setTimeout(() => res.socket?.destroy(), 5);
	} else if (req.url === '/multibyte') {
		// A character cut between two writes: the text reads whole.
		const bytes = Buffer.from('data: Grüße 🌍\n\n');
		res.writeHead(200, { 'content-type': 'text/event-stream' });
		res.write(bytes.subarray(0, 11));
		setTimeout(() => res.end(bytes.subarray(11)), 5);
	} else if (req.url === '/endless') {
		res.writeHead(200, { 'content-type': 'text/event-stream' });
		res.write('data: 1\n\n');
	}
}

beforeAll(async () => {
	server = createServer((req, res) => {
		let body = '';
		req.setEncoding('utf8');
		req.on('data', (chunk: string) => (body += chunk));
		req.on('end', () => route(req, res, body));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
	server.closeAllConnections();
	await new Promise((resolve) => server.close(resolve));
	await agent.close();
});

const until = async (check: () => boolean) => {
	for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
	return check();
};

describe('dispatcherFetch', () => {
	it('sends the method, path, query, headers and string body, and streams back status, every header value and the body', async () => {
		const response = await fetchOut(`${origin}/echo?x=1`, {
			method: 'post',
			headers: new Headers({ 'content-type': 'application/json', 'x-custom': 'yes' }),
			body: '{"hello":"wörld"}'
		});
		expect(response.status).toBe(201);
		expect(response.headers.get('content-type')).toBe('text/plain');
		expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
		expect(await response.text()).toBe('first,second');
		expect(seen.at(-1)).toMatchObject({
			method: 'POST',
			url: '/echo?x=1',
			body: '{"hello":"wörld"}',
			headers: { 'content-type': 'application/json', 'x-custom': 'yes', 'content-length': '18' }
		});
	});

	it('takes headers as a plain object and bytes as the body', async () => {
		const response = await fetchOut(new URL(`${origin}/echo`), {
			method: 'PUT',
			headers: { 'x-plain': 'object' },
			body: new TextEncoder().encode('bytes')
		});
		await response.text();
		expect(seen.at(-1)).toMatchObject({ method: 'PUT', body: 'bytes', headers: { 'x-plain': 'object' } });
	});

	it('gives a 204 no body, and hands a redirect back unfollowed', async () => {
		const empty = await fetchOut(`${origin}/empty`);
		expect(empty.status).toBe(204);
		expect(empty.body).toBeNull();
		const moved = await fetchOut(`${origin}/moved`, { method: 'POST', body: 'x' });
		expect(moved.status).toBe(302);
		expect(moved.headers.get('location')).toBe('/elsewhere');
		expect(await moved.text()).toBe('see elsewhere');
		expect(seen.some((s) => s.url === '/elsewhere')).toBe(false);
	});

	it("fails as Node's fetch does when nothing listens: TypeError('fetch failed') with the cause", async () => {
		const probe = createServer();
		await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
		const port = (probe.address() as AddressInfo).port;
		await new Promise((resolve) => probe.close(resolve));
		const failure = await fetchOut(`http://127.0.0.1:${port}/`).catch((error: unknown) => error);
		expect(failure).toBeInstanceOf(TypeError);
		expect((failure as TypeError).message).toBe('fetch failed');
		expect(((failure as TypeError).cause as { code?: string }).code).toBe('ECONNREFUSED');
	});

	it("rejects with the signal's reason when aborted before the head, and the request ends", async () => {
		const controller = new AbortController();
		const pending = fetchOut(`${origin}/slow-head`, { signal: controller.signal });
		expect(await until(() => seen.some((s) => s.url === '/slow-head'))).toBe(true);
		controller.abort();
		const failure = await pending.catch((error: unknown) => error);
		expect((failure as Error).name).toBe('AbortError');
		expect(await until(() => closed.includes('/slow-head'))).toBe(true);

		const already = AbortSignal.abort(new Error('gone already'));
		await expect(fetchOut(`${origin}/echo`, { signal: already })).rejects.toThrow('gone already');
	});

	it('ends the request when the streamed body is cancelled', async () => {
		const response = await fetchOut(`${origin}/endless`);
		const reader = response.body!.getReader();
		expect(new TextDecoder().decode((await reader.read()).value)).toBe('data: 1\n\n');
		await reader.cancel();
		expect(await until(() => closed.includes('/endless'))).toBe(true);
	});

	it("errors the body as Node's fetch does when the connection drops mid-body: TypeError('terminated') with the cause", async () => {
		const response = await fetchOut(`${origin}/reset`);
		const failure = await response.text().catch((error: unknown) => error);
		expect(failure).toBeInstanceOf(TypeError);
		expect((failure as TypeError).message).toBe('terminated');
		expect((failure as TypeError).cause).toBeInstanceOf(Error);
	});

	it("errors the body with the signal's reason when aborted mid-body", async () => {
		const controller = new AbortController();
		const response = await fetchOut(`${origin}/endless`, { signal: controller.signal });
		const reader = response.body!.getReader();
		await reader.read();
		controller.abort(new Error('stopped by the user'));
		await expect(reader.read()).rejects.toThrow('stopped by the user');
	});

	it("sends any other body through Node's fetch on the same dispatcher", async () => {
		const response = await fetchOut(`${origin}/echo`, {
			method: 'POST',
			body: new URLSearchParams({ form: 'field' })
		});
		await response.text();
		expect(seen.at(-1)).toMatchObject({
			body: 'form=field',
			headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' }
		});
	});
});

/** Every piece of text a body gives, read with responseText. */
async function allText(response: Response): Promise<string> {
	let text = '';
	for await (const piece of responseText(response)) text += piece;
	return text;
}

describe('a body read by our own reader (takeNodeBody, responseText)', () => {
	it('gives the Node body once, as text whole across a character cut between writes', async () => {
		const response = await fetchOut(`${origin}/multibyte`);
		expect(await allText(response)).toBe('data: Grüße 🌍\n\n');
		expect(takeNodeBody(response)).toBeNull();
	});

	it('leaves a Response whose web body was read to its web body, and reads that the same way', async () => {
		const response = await fetchOut(`${origin}/echo`);
		const reader = response.body!.getReader();
		const first = new TextDecoder().decode((await reader.read()).value);
		reader.releaseLock();
		expect(takeNodeBody(response)).toBeNull();
		expect(first + (await allText(response))).toBe('first,second');
		// Not a Response of this fetch at all: read through its web body.
		expect(await allText(new Response('plain'))).toBe('plain');
	});

	it('ends the request when the loop is left early', async () => {
		const before = closed.filter((url) => url === '/endless').length;
		const response = await fetchOut(`${origin}/endless`);
		for await (const piece of responseText(response)) {
			expect(piece).toBe('data: 1\n\n');
			break;
		}
		expect(await until(() => closed.filter((url) => url === '/endless').length > before)).toBe(true);
	});

	it("fails as the web body does: TypeError('terminated') with the cause, or the signal's reason after an abort", async () => {
		const reset = await fetchOut(`${origin}/reset`);
		const failure = await allText(reset).catch((error: unknown) => error);
		expect(failure).toBeInstanceOf(TypeError);
		expect((failure as TypeError).message).toBe('terminated');
		expect((failure as TypeError).cause).toBeInstanceOf(Error);

		const controller = new AbortController();
		const endless = await fetchOut(`${origin}/endless`, { signal: controller.signal });
		const reading = allText(endless).catch((error: unknown) => error);
		controller.abort(new Error('stopped by the user'));
		expect(((await reading) as Error).message).toBe('stopped by the user');
	});

	it('keeps a failure that comes before anyone reads, for whichever reader comes', async () => {
		for (const read of [allText, (response: Response) => response.text()]) {
			const before = closed.filter((url) => url === '/reset').length;
			const response = await fetchOut(`${origin}/reset`);
			expect(await until(() => closed.filter((url) => url === '/reset').length > before)).toBe(true);
			// The reset has reached the client by now: the body failed with nobody reading it.
			await new Promise((resolve) => setTimeout(resolve, 20));
			const failure = await read(response).catch((error: unknown) => error);
			expect(failure).toBeInstanceOf(TypeError);
			expect((failure as TypeError).message).toBe('terminated');
		}
	});
});
