import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { metrics } from '$lib/server/observability/metrics';
import { createSwitchboardClient } from '$lib/sdk';
import { useCompatHarness } from './compat-harness';

/*
 * The lean route (http/node-routes.ts) answers /v1 on Node's own request and response, ahead of
 * SvelteKit: what the hooks give every response must hold here too, and the body it reads itself
 * must stay bounded however it arrives.
 */
const h = useCompatHarness();

type RawAnswer = { status: number; headers: http.IncomingHttpHeaders; body: string };

/** A request by hand, for what an SDK never sends (a chunked body, a request id of its own). */
function raw(
	path: string,
	options: { method?: string; headers?: Record<string, string>; chunks?: Buffer[] } = {}
): Promise<RawAnswer> {
	return new Promise((resolve, reject) => {
		const req = http.request(
			`${h.compatUrl}${path}`,
			{ method: options.method ?? 'GET', headers: options.headers },
			(res) => {
				let body = '';
				res.setEncoding('utf8');
				res.on('data', (chunk: string) => (body += chunk));
				res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
			}
		);
		req.on('error', reject);
		for (const chunk of options.chunks ?? []) req.write(chunk);
		req.end();
	});
}

async function requestCount(route: string, status: string, method = 'GET'): Promise<number> {
	const metric = await metrics().httpRequests.get();
	return metric.values
		.filter((v) => v.labels.route === route && v.labels.status === status && v.labels.method === method)
		.reduce((sum, v) => sum + v.value, 0);
}

const trpcRoute = '/api/trpc/[...trpc]';

describe('the lean route for the compatible APIs', () => {
	it('keeps a request id it is sent, makes one otherwise, and counts the request under its route', async () => {
		const token = await h.token();
		const before = await requestCount('/v1/models', '200');
		const kept = await raw('/v1/models', {
			headers: { authorization: `Bearer ${token}`, 'x-request-id': 'proxy-id-12345' }
		});
		expect(kept.status).toBe(200);
		expect(kept.headers['x-request-id']).toBe('proxy-id-12345');
		const made = await raw('/v1/models', { headers: { authorization: `Bearer ${token}` } });
		expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
		expect(await requestCount('/v1/models', '200')).toBe(before + 2);
	});

	it('refuses a chunked body past 8 MB with a 413 in the API’s shape, without calling a provider', async () => {
		const token = await h.token();
		const chunk = Buffer.alloc(1024 * 1024, 'x');
		const answer = await raw('/v1/chat/completions', {
			method: 'POST',
			headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
			chunks: Array.from({ length: 9 }, () => chunk)
		});
		expect(answer.status).toBe(413);
		expect(JSON.parse(answer.body)).toMatchObject({
			error: { type: 'invalid_request_error', code: 'request_too_large' }
		});
		expect(h.emulators.openai.requests).toHaveLength(0);
	});

	it('answers a model id that is not valid percent-encoding as not found', async () => {
		const token = await h.token();
		const answer = await raw('/v1/models/gpt-%E0%A4%A', { headers: { authorization: `Bearer ${token}` } });
		expect(answer.status).toBe(404);
		expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'model_not_found' } });
	});

	it('leaves other methods and paths to the app behind it', async () => {
		// tRPC answers here in the harness, as SvelteKit does behind the lean route in the built app.
		const answer = await raw('/v1/chat/completions');
		expect(answer.headers['content-type']).not.toBe('text/event-stream; charset=utf-8');
		expect(answer.body).not.toContain('chat.completion');
	});

	it('survives a client that leaves while its body arrives', async () => {
		const token = await h.token();
		await new Promise<void>((resolve) => {
			const req = http.request(`${h.compatUrl}/v1/chat/completions`, {
				method: 'POST',
				headers: { authorization: `Bearer ${token}`, 'content-length': '1000' }
			});
			req.on('error', () => resolve());
			req.write('{"model": "gpt-4.1-mini", ');
			setTimeout(() => req.destroy(), 50);
		});
		const client = await h.openai();
		const answer = await client.chat.completions.create({
			model: 'gpt-4.1-mini',
			messages: [{ role: 'user', content: 'Hi' }]
		});
		expect(answer.choices[0].message.content).toBeTruthy();
		expect(h.emulators.openai.requests).toHaveLength(1);
	});
});

describe('the lean route for tRPC', () => {
	it('answers the SDK’s calls and a browser’s, logged and counted under the tRPC route, clearing a dead session cookie', async () => {
		const token = await h.token();
		const before = await requestCount(trpcRoute, '200');
		const me = await raw('/api/trpc/auth.me', {
			headers: { authorization: `Bearer ${token}`, 'x-request-id': 'sdk-call-000001' }
		});
		expect(me.status).toBe(200);
		expect(JSON.parse(me.body).result.data.json.id).toBe(h.admin.user.id);
		expect(me.headers['x-request-id']).toBe('sdk-call-000001');
		// A browser: its session cookie signs it in, and is left as it is while the session is fresh.
		const browser = await raw('/api/trpc/auth.me', { headers: { cookie: `theme=dark; ${h.admin.cookie}` } });
		expect(browser.status).toBe(200);
		expect(JSON.parse(browser.body).result.data.json.id).toBe(h.admin.user.id);
		expect(browser.headers['set-cookie']).toBeUndefined();
		// A cookie that signs no one in any more is cleared, as SvelteKit's hooks clear it.
		const dead = await raw('/api/trpc/auth.me', { headers: { cookie: 'switchboard_session=not-a-session' } });
		expect(dead.status).toBe(200);
		expect(JSON.parse(dead.body).result.data.json).toBeNull();
		expect(dead.headers['set-cookie']?.join()).toMatch(/^switchboard_session=;.*Max-Age=0/i);
		expect(await requestCount(trpcRoute, '200')).toBe(before + 3);
	});

	it('keeps the origin guard: a cross-site write is refused before tRPC runs', async () => {
		const before = await requestCount(trpcRoute, '403', 'POST');
		const refused = await raw('/api/trpc/auth.signUp', {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' },
			chunks: [Buffer.from(JSON.stringify({ json: { email: 'x@example.com', password: 'long enough pw' } }))]
		});
		expect(refused.status).toBe(403);
		expect(JSON.parse(refused.body)).toEqual({
			error: { code: 'FORBIDDEN', message: 'Cross-site request refused.' }
		});
		expect(await requestCount(trpcRoute, '403', 'POST')).toBe(before + 1);
	});

	it('streams a subscription and sends a mutation’s body through', async () => {
		const token = await h.token();
		const created = await raw('/api/trpc/chats.create', {
			method: 'POST',
			headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
			chunks: [Buffer.from(JSON.stringify({ json: { title: 'Lean' } }))]
		});
		expect(created.status).toBe(200);
		expect(JSON.parse(created.body).result.data.json.title).toBe('Lean');
		// The SDK's own path: a one-shot ask (a send that starts the chat), then the answer's stream.
		const sb = createSwitchboardClient({ url: h.compatUrl, token });
		const run = sb.ask({
			content: 'Hi through the lean route',
			providerId: 'openai',
			modelId: 'gpt-4.1-mini'
		});
		const result = await run.result;
		expect(result.text).toContain('Hi through the lean route');
		expect(result.finishReason).toBe('stop');
	});
});
