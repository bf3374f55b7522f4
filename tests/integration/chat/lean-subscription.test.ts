import { describe, expect, it } from 'vitest';
import superjson from 'superjson';
import { createSwitchboardClient } from '$lib/sdk/index';
import { handleTrpcRequest } from '$lib/server/trpc/handler';
import { newClientId } from '$lib/schemas/ids';
import { createApiToken } from '../../helpers/auth-client';
import { useChatHarness } from '../../helpers/chat-harness';
import { waitFor } from '../../helpers/wait-for';

/*
 * The SDK's subscriptions are answered on the lean route without tRPC's fetch adapter
 * (trpc/lean-subscription.ts). What a client reads must not change: the same requests through
 * tRPC's adapter and through the lean route give the same status, content type and bytes.
 */
const harness = useChatHarness({ generation: { awaitStartMs: 10_000 } });

function streamUrl(path: string, input: unknown, extra = ''): string {
	return `${harness.url}/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify(superjson.serialize(input)))}${extra}`;
}

/** The same GET through tRPC's adapter (as the SvelteKit route serves it) and over HTTP on the lean route. */
async function bothWays(url: string, headers: Record<string, string>) {
	const all = { accept: 'text/event-stream', 'x-request-id': 'lean-compare-0001', ...headers };
	const viaTrpc = await handleTrpcRequest(harness.app, new Request(url, { headers: all }), {
		clientAddress: '127.0.0.1'
	});
	const viaLean = await fetch(url, { headers: all });
	return {
		trpc: { status: viaTrpc.status, type: viaTrpc.headers.get('content-type'), body: await viaTrpc.text() },
		lean: { status: viaLean.status, type: viaLean.headers.get('content-type'), body: await viaLean.text() }
	};
}

describe('subscriptions on the lean route', () => {
	it("replay a finished answer in tRPC's own bytes, from the start and from a resume point", async () => {
		const token = await createApiToken(harness.app, harness.admin.user.id);
		const sb = createSwitchboardClient({ url: harness.url, token });
		harness.emulators.openai.script({ chunks: ['One ', 'two ', 'three.'] });
		const { messageId } = await sb.ask({ providerId: 'openai', modelId: 'gpt-4o-mini', content: 'Count' })
			.result;
		const auth = { authorization: `Bearer ${token}` };
		const whole = await bothWays(streamUrl('chats.stream', { messageId }), auth);
		expect(whole.lean).toEqual(whole.trpc);
		expect(whole.lean.body).toContain('One two three.');
		const resumed = await bothWays(streamUrl('chats.stream', { messageId }), {
			...auth,
			'last-event-id': '1'
		});
		expect(resumed.lean).toEqual(resumed.trpc);
		expect(resumed.lean.body.length).toBeLessThan(whole.lean.body.length);
	});

	it('refuse in the same frames: a bad token, a malformed id, an answer that is not there', async () => {
		const token = await createApiToken(harness.app, harness.admin.user.id);
		const cases: [string, Record<string, string>][] = [
			[
				streamUrl('chats.stream', { messageId: newClientId() }),
				{ authorization: 'Bearer sb_not_a_real_token' }
			],
			[streamUrl('chats.stream', { messageId: 'not-a-uuid' }), { authorization: `Bearer ${token}` }],
			[streamUrl('chats.stream', { messageId: crypto.randomUUID() }), { authorization: `Bearer ${token}` }],
			[
				streamUrl('completions.stream', { generationId: crypto.randomUUID() }),
				{ authorization: `Bearer ${token}` }
			]
		];
		for (const [url, headers] of cases) {
			const { trpc, lean } = await bothWays(url, headers);
			expect(lean).toEqual(trpc);
			expect(lean.body).toContain('event: serialized-error');
		}
	});

	it("leave what they cannot parse to tRPC's adapter: a malformed path, input that is not JSON, JSON lines", async () => {
		const token = await createApiToken(harness.app, harness.admin.user.id);
		const auth = { authorization: `Bearer ${token}` };
		const cases: [string, Record<string, string>][] = [
			[`${harness.url}/api/trpc/chats.stream%E0%A4%A?input=%7B%7D`, auth],
			[`${harness.url}/api/trpc/chats.stream?input=%7Bnot-json`, auth],
			[
				streamUrl('chats.stream', { messageId: crypto.randomUUID() }),
				{ ...auth, 'trpc-accept': 'application/jsonl' }
			]
		];
		for (const [url, headers] of cases) {
			const { trpc, lean } = await bothWays(url, headers);
			expect(lean).toEqual(trpc);
		}
	});

	it('end the procedure and give the slot back when the client leaves', async () => {
		const token = await createApiToken(harness.app, harness.admin.user.id);
		const aborter = new AbortController();
		const response = await fetch(streamUrl('chats.stream', { messageId: newClientId(), awaitStart: true }), {
			headers: { accept: 'text/event-stream', authorization: `Bearer ${token}` },
			signal: aborter.signal
		});
		const reader = response.body!.getReader();
		expect(new TextDecoder().decode((await reader.read()).value)).toContain('event: connected');
		await waitFor(() => harness.app.starts.waiting === 1);
		aborter.abort();
		await waitFor(() => harness.app.starts.waiting === 0);
		// Every one of the client's stream slots is free again: as many waiting streams as the limit open at once.
		const waiting = new AbortController();
		const first = await Promise.all(
			Array.from({ length: 12 }, async () => {
				const opened = await fetch(
					streamUrl('chats.stream', { messageId: newClientId(), awaitStart: true }),
					{
						headers: { accept: 'text/event-stream', authorization: `Bearer ${token}` },
						signal: waiting.signal
					}
				);
				return new TextDecoder().decode((await opened.body!.getReader().read()).value);
			})
		);
		expect(first.filter((text) => text.includes('TOO_MANY_REQUESTS'))).toEqual([]);
		await waitFor(() => harness.app.starts.waiting === 12);
		waiting.abort();
		await waitFor(() => harness.app.starts.waiting === 0);
	});
});
