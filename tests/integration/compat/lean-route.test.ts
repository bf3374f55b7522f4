import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { metrics } from '../../../src/lib/server/observability/metrics';
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

async function requestCount(route: string, status: string): Promise<number> {
	const metric = await metrics().httpRequests.get();
	return metric.values
		.filter((v) => v.labels.route === route && v.labels.status === status && v.labels.method === 'GET')
		.reduce((sum, v) => sum + v.value, 0);
}

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
		const trpc = await raw('/api/trpc/auth.me');
		expect(JSON.parse(trpc.body)).toEqual({ result: { data: { json: null } } });
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
