import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { tokenCreateInput } from '$lib/schemas/tokens';
import { createSwitchboardClient, type FetchFunction, type StreamEvent } from '$lib/sdk/index';
import { createApiToken } from '../../helpers/auth-client';
import { useChatHarness } from '../../helpers/chat-harness';

/*
 * ask() and streamCompletion() are one request per turn: `chats.sendAndWatch` (or
 * `completions.startAndWatch`) answers with the ids, then the generation's events in JSON lines.
 * Should that response break, the SDK watches the rest on the subscription from the last event it
 * had: every event once, in order.
 */
const harness = useChatHarness();

const requestsTo = (paths: string[]) => paths.map((url) => new URL(url).pathname.split('/').at(-1));

/**
 * A fetch that records every request, and cuts the JSON lines of the first watched start after
 * `lines` lines (as a dropped connection would), keeping the request open on the server side.
 */
function recordingFetch(options: { cutAfterLines?: number } = {}) {
	const urls: string[] = [];
	let cut = false;
	const fetcher: FetchFunction = async (input, init) => {
		const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
		urls.push(url);
		const response = await fetch(input, init);
		if (options.cutAfterLines === undefined || cut || !/AndWatch/.test(url)) return response;
		cut = true;
		const reader = response.body!.getReader();
		let seen = 0;
		const body = new ReadableStream<Uint8Array>({
			async pull(controller) {
				const { done, value } = await reader.read();
				if (done) return controller.close();
				controller.enqueue(value);
				seen += new TextDecoder().decode(value).split('\n').length - 1;
				if (seen >= options.cutAfterLines!) {
					void reader.cancel();
					controller.error(new TypeError('terminated'));
				}
			}
		});
		return new Response(body, { status: response.status, headers: response.headers });
	};
	return { fetch: fetcher, urls };
}

async function sdk(fetcher?: FetchFunction, token?: string) {
	return createSwitchboardClient({
		url: harness.url,
		token: token ?? (await createApiToken(harness.app, harness.admin.user.id)),
		fetch: fetcher
	});
}

/** Every event of a run, and its result. */
async function drain<R>(run: AsyncIterable<StreamEvent> & { result: Promise<R> }) {
	const events: StreamEvent[] = [];
	for await (const event of run) events.push(event);
	return { events, result: await run.result };
}

describe('ask() in one request', () => {
	it('sends and streams the whole answer in one request, in a new chat or an existing one', async () => {
		const recorded = recordingFetch();
		const sb = await sdk(recorded.fetch);
		harness.emulators.openai.script({ chunks: ['One ', 'request ', 'only.'], paceMs: 10 });
		const first = await drain(sb.ask({ content: 'Hi', providerId: 'openai', modelId: 'gpt-4.1-mini' }));
		expect(first.events.map((e) => e.type)).toEqual(['start', 'delta', 'delta', 'delta', 'done']);
		expect(first.result.text).toBe('One request only.');
		harness.emulators.openai.script({ chunks: ['Again.'] });
		const second = await drain(sb.ask({ chatId: first.result.chatId, content: 'More' }));
		expect(second.result.text).toBe('Again.');
		expect(requestsTo(recorded.urls)).toEqual(['chats.sendAndWatch', 'chats.sendAndWatch']);
		const chat = await sb.chats.get.query({ chatId: first.result.chatId });
		expect(chat.messages.map((m) => [m.role, m.status, m.content])).toEqual([
			['user', 'complete', 'Hi'],
			['assistant', 'complete', 'One request only.'],
			['user', 'complete', 'More'],
			['assistant', 'complete', 'Again.']
		]);
	});

	it('watches the rest from its last event when the response breaks mid-answer', async () => {
		// The head, the call's three lines and the ids' line, then the start and one delta: cut there.
		const recorded = recordingFetch({ cutAfterLines: 7 });
		const sb = await sdk(recorded.fetch);
		const chunks = Array.from({ length: 12 }, (_, i) => `w${i} `);
		harness.emulators.openai.script({ chunks, paceMs: 15 });
		const { events, result } = await drain(sb.ask({ content: 'Hi', providerId: 'openai' }));
		expect(events[0].type).toBe('start');
		expect(events.at(-1)?.type).toBe('done');
		expect(events.filter((e) => e.type === 'start')).toHaveLength(1);
		expect(result.text).toBe(chunks.join(''));
		expect(requestsTo(recorded.urls)).toEqual(['chats.sendAndWatch', 'chats.stream']);
		expect(recorded.urls[1]).toContain('lastEventId');
	});

	it("ends with the send's own error when the send is refused", async () => {
		const sb = await sdk();
		const run = sb.ask({ chatId: randomUUID(), content: 'Hi' });
		await expect(run.result).rejects.toMatchObject({
			code: 'NOT_FOUND',
			message: 'That chat does not exist.'
		});
	});

	it('refuses a message over the limits in words: too long, and larger than a request may be', async () => {
		const sb = await sdk();
		const long = await sb
			.ask({ content: 'x'.repeat(300 * 1024), providerId: 'openai' })
			.result.catch((e) => e);
		expect(long).toMatchObject({ code: 'BAD_REQUEST', message: 'content: Messages are limited to 256 KB' });
		expect(Object.keys(long.fieldErrors)).toEqual(['content']);
		// Over the request body limit (24 MB, as scripts/start.mjs sets it): refused before tRPC reads
		// it, in tRPC's shape.
		const huge = await sb
			.ask({ content: 'x'.repeat(25 * 1024 * 1024), providerId: 'openai' })
			.result.catch((e) => e);
		expect(huge).toMatchObject({
			code: 'PAYLOAD_TOO_LARGE',
			httpStatus: 413,
			message: 'The request is too large: at most 24 MB.'
		});
		expect(huge.requestId).toEqual(expect.any(String));
	});

	it('ends with UNAUTHORIZED when its token is revoked mid-answer', async () => {
		const created = await harness.app.users.createToken(
			harness.admin.user.id,
			tokenCreateInput.parse({ name: 'revoked mid-answer' })
		);
		const sb = await sdk(undefined, created.token);
		harness.emulators.openai.script({ chunks: Array.from({ length: 20 }, (_, i) => `w${i} `), paceMs: 20 });
		const run = sb.ask({ content: 'Hi', providerId: 'openai' });
		for await (const event of run) {
			if (event.type !== 'delta') continue;
			await harness.app.users.revokeToken(harness.admin.user.id, created.id);
			break;
		}
		await expect(run.result).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
	});
});

describe('streamCompletion() in one request', () => {
	it('streams the whole completion in one request, and resumes when the response breaks', async () => {
		const recorded = recordingFetch();
		const sb = await sdk(recorded.fetch);
		harness.emulators.openai.script({ chunks: ['Stateless ', 'and ', 'whole.'], paceMs: 10 });
		const input = {
			providerId: 'openai',
			modelId: 'gpt-4.1-mini',
			messages: [{ role: 'user' as const, content: 'Hi' }]
		};
		const { events, result } = await drain(sb.streamCompletion(input));
		expect(events.map((e) => e.type)).toEqual(['start', 'delta', 'delta', 'delta', 'done']);
		expect(result.text).toBe('Stateless and whole.');
		expect(requestsTo(recorded.urls)).toEqual(['completions.startAndWatch']);

		const cut = recordingFetch({ cutAfterLines: 7 });
		const chunks = Array.from({ length: 10 }, (_, i) => `c${i} `);
		harness.emulators.openai.script({ chunks, paceMs: 15 });
		const resumed = await drain((await sdk(cut.fetch)).streamCompletion(input));
		expect(resumed.result.text).toBe(chunks.join(''));
		expect(resumed.events.filter((e) => e.type === 'start')).toHaveLength(1);
		expect(requestsTo(cut.urls)).toEqual(['completions.startAndWatch', 'completions.stream']);
	});

	it("ends with the start's own error when the start is refused", async () => {
		const sb = await sdk();
		const run = sb.streamCompletion({
			providerId: 'openai',
			modelId: 'no-such-model',
			messages: [{ role: 'user', content: 'Hi' }]
		});
		await expect(run.result).rejects.toMatchObject({ code: 'BAD_REQUEST' });
	});
});
