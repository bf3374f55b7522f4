import { describe, expect, it } from 'vitest';
import superjson from 'superjson';
import { createSwitchboardClient } from '$lib/sdk/index';
import { handleApiRequest } from '$lib/server/http/api-handler';
import { configureRequestLimits } from '$lib/server/trpc/request-limits';
import { createApiToken } from '../../helpers/auth-client';
import { useChatHarness } from '../../helpers/chat-harness';

/*
 * The SDK's queries and mutations are answered on the lean route without tRPC's fetch adapter
 * (trpc/lean-call.ts). What a client reads must not change: the same request through tRPC's adapter
 * and over HTTP on the lean route gives the same status, headers and body.
 */
const harness = useChatHarness();

const batchInput = (input: unknown) => JSON.stringify({ 0: superjson.serialize(input) });

type Call = {
	path: string;
	method: 'GET' | 'POST';
	headers: Record<string, string>;
	body?: string;
	query?: string;
};

/** Headers a client reads, without the ones that differ by connection (date, keep-alive). */
function readable(headers: Headers): Record<string, string> {
	const out: Record<string, string> = {};
	headers.forEach((value, name) => {
		if (!['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding'].includes(name))
			out[name] = value;
	});
	return out;
}

async function bothWays({ path, method, headers, body, query = '?batch=1' }: Call) {
	const url = `${harness.url}/api/trpc/${path}${query}`;
	const all = { 'x-request-id': 'lean-call-compare-01', ...headers };
	// As the lean route answered before: the origin guard, then tRPC's fetch adapter.
	const viaTrpc = await handleApiRequest(
		harness.app,
		new Request(url, { method, headers: all, body }),
		'127.0.0.1',
		'lean-call-compare-01'
	);
	const viaLean = await fetch(url, { method, headers: all, body });
	return {
		trpc: { status: viaTrpc.status, headers: readable(viaTrpc.headers), body: await viaTrpc.text() },
		lean: { status: viaLean.status, headers: readable(viaLean.headers), body: await viaLean.text() }
	};
}

describe('queries and mutations on the lean route', () => {
	it("answer in tRPC's own status, headers and bytes: queries, and mutations that change nothing", async () => {
		const token = await createApiToken(harness.app, harness.admin.user.id);
		const auth = { authorization: `Bearer ${token}` };
		const json = { ...auth, 'content-type': 'application/json' };
		const missing = crypto.randomUUID();
		const cases: Call[] = [
			{ path: 'auth.me', method: 'GET', headers: auth },
			{ path: 'providers.list', method: 'GET', headers: auth },
			{
				path: 'chats.list',
				method: 'GET',
				headers: auth,
				query: `?batch=1&input=${encodeURIComponent(batchInput({ limit: 5 }))}`
			},
			// Refusals: no token, a bad token, input the schema refuses, a chat that is not there.
			{ path: 'auth.me', method: 'GET', headers: {} },
			{ path: 'chats.list', method: 'GET', headers: { authorization: 'Bearer sb_not_a_real_token' } },
			{ path: 'chats.update', method: 'POST', headers: json, body: batchInput({ chatId: 'not-a-uuid' }) },
			{
				path: 'chats.update',
				method: 'POST',
				headers: json,
				body: batchInput({ chatId: missing, title: 'x' })
			},
			{
				path: 'chats.delete',
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: batchInput({ chatId: missing })
			},
			// Bodies tRPC reads as bad requests: not JSON, not a batch's object, nothing at all.
			{ path: 'chats.update', method: 'POST', headers: json, body: '{not json' },
			{ path: 'chats.update', method: 'POST', headers: json, body: '[1]' },
			{ path: 'chats.update', method: 'POST', headers: json, body: '' }
		];
		for (const call of cases) {
			const { trpc, lean } = await bothWays(call);
			expect(lean, `${call.method} ${call.path} ${call.body ?? call.query ?? ''}`).toEqual(trpc);
		}
	});

	it("answer a watched start's JSON lines as tRPC does when the start is refused", async () => {
		const token = await createApiToken(harness.app, harness.admin.user.id);
		const lines = { 'content-type': 'application/json', 'trpc-accept': 'application/jsonl' };
		const auth = { ...lines, authorization: `Bearer ${token}` };
		const missing = crypto.randomUUID();
		const send = (input: unknown) => batchInput(input);
		const cases: Call[] = [
			// A chat that is not there, input the schema refuses, no token, a body that is not JSON.
			{
				path: 'chats.sendAndWatch',
				method: 'POST',
				headers: auth,
				body: send({ chatId: missing, content: 'Hi' })
			},
			{
				path: 'chats.sendAndWatch',
				method: 'POST',
				headers: auth,
				body: send({ chatId: missing, content: '' })
			},
			{
				path: 'chats.sendAndWatch',
				method: 'POST',
				headers: lines,
				body: send({ chatId: missing, content: 'Hi' })
			},
			{ path: 'completions.startAndWatch', method: 'POST', headers: auth, body: '{not json' },
			{
				path: 'completions.startAndWatch',
				method: 'POST',
				headers: auth,
				body: send({
					providerId: 'openai',
					modelId: 'no-such-model',
					messages: [{ role: 'user', content: 'Hi' }]
				})
			}
		];
		for (const call of cases) {
			const { trpc, lean } = await bothWays(call);
			expect(lean, `${call.path} ${call.body}`).toEqual(trpc);
			expect(lean.body.trim().split('\n')).toHaveLength(2);
		}
	});

	it("leave to tRPC's adapter what it answers differently: a wrong method, a form body, a batch of two, JSON lines", async () => {
		const token = await createApiToken(harness.app, harness.admin.user.id);
		const auth = { authorization: `Bearer ${token}` };
		const cases: Call[] = [
			{
				path: 'auth.me',
				method: 'POST',
				headers: { ...auth, 'content-type': 'application/json' },
				body: '{}'
			},
			{
				path: 'chats.update',
				method: 'POST',
				headers: { ...auth, 'content-type': 'text/plain' },
				body: '{}'
			},
			{ path: 'auth.me,providers.list', method: 'GET', headers: auth },
			{ path: 'auth.me', method: 'GET', headers: { ...auth, 'trpc-accept': 'application/jsonl' } },
			{ path: 'no.such', method: 'GET', headers: auth }
		];
		for (const call of cases) {
			const { trpc, lean } = await bothWays(call);
			// The lean route names every request's id, also where tRPC made no context to name it.
			delete lean.headers['x-request-id'];
			delete trpc.headers['x-request-id'];
			if (call.headers['trpc-accept']) expect(lean.status).toBe(trpc.status);
			else expect(lean, `${call.method} ${call.path}`).toEqual(trpc);
		}
	});

	it('serve the SDK: a chat made, renamed, asked twice and deleted, and the client’s slot given back after each call', async () => {
		const token = await createApiToken(harness.app, harness.admin.user.id);
		const sb = createSwitchboardClient({ url: harness.url, token });
		// One request at a time per client: a slot not given back would refuse the next call.
		configureRequestLimits(harness.app, { inFlightPerClient: 1 });
		try {
			const chat = await sb.chats.create.mutate({
				providerId: 'openai',
				modelId: 'gpt-4o-mini',
				title: 'Lean'
			});
			await sb.chats.update.mutate({ chatId: chat.id, title: 'Renamed' });
			const listed = await sb.chats.list.query({ limit: 10 });
			expect(listed.items.map((c) => c.title)).toContain('Renamed');
			// A watched start holds its slot while its events stream, and gives it back at their end.
			harness.emulators.openai.script({ chunks: ['One ', 'slot.'] });
			expect((await sb.ask({ chatId: chat.id, content: 'Hi' }).result).text).toBe('One slot.');
			harness.emulators.openai.script({ chunks: ['Again.'] });
			expect((await sb.ask({ chatId: chat.id, content: 'More' }).result).text).toBe('Again.');
			await sb.chats.delete.mutate({ chatId: chat.id });
			await expect(sb.chats.get.query({ chatId: chat.id })).rejects.toMatchObject({
				data: { code: 'NOT_FOUND' }
			});
		} finally {
			configureRequestLimits(harness.app, { inFlightPerClient: 16 });
		}
	});
});
