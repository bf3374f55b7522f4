import { describe, expect, it } from 'vitest';
import {
	createSwitchboardClient,
	SwitchboardError,
	SwitchboardProviderError,
	toSwitchboardError,
	type StreamEvent,
	type SwitchboardClient
} from '$lib/sdk/index';
import { createApiToken } from '../../helpers/auth-client';
import { useChatHarness } from '../../helpers/chat-harness';

/*
 * The SDK as an internal tool uses it: a real HTTP server (the app's API handler), the provider
 * emulators, an API token as the only credential, and Node 20's missing EventSource filled in by the
 * SDK itself.
 */
const harness = useChatHarness();

async function sdkClient(
	options: Partial<Parameters<typeof createSwitchboardClient>[0]> = {}
): Promise<SwitchboardClient> {
	const token = await createApiToken(harness.app, harness.admin.user.id);
	return createSwitchboardClient({ url: harness.url, token, ...options });
}

async function collect(run: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
	const events: StreamEvent[] = [];
	for await (const event of run) events.push(event);
	return events;
}

const deltas = (events: StreamEvent[]) => events.flatMap((e) => (e.type === 'delta' ? [e.text] : []));

describe('ask', () => {
	it('creates a chat, streams the answer as typed events and resolves the result', async () => {
		const sb = await sdkClient();
		harness.emulators.openai.script({
			chunks: ['Hel', 'lo ', 'there'],
			paceMs: 20,
			usage: { inputTokens: 7, outputTokens: 3 }
		});
		const run = sb.ask({ content: 'Say hello', providerId: 'openai', modelId: 'gpt-4o-mini' });
		const events = await collect(run);
		expect(events[0]).toMatchObject({ type: 'start', providerId: 'openai', modelId: 'gpt-4o-mini' });
		expect(deltas(events)).toEqual(['Hel', 'lo ', 'there']);
		expect(events.at(-1)).toMatchObject({ type: 'done', finishReason: 'stop' });

		const result = await run.result;
		expect(result).toMatchObject({
			text: 'Hello there',
			providerId: 'openai',
			modelId: 'gpt-4o-mini',
			finishReason: 'stop',
			usage: { inputTokens: 7, outputTokens: 3 },
			fallbacks: []
		});
		// What streamed is what the server stored, under the ids the result names.
		const chat = await sb.chats.get.query({ chatId: result.chatId });
		const answer = chat.messages.find((m) => m.id === result.messageId);
		expect(answer).toMatchObject({
			role: 'assistant',
			content: 'Hello there',
			status: 'complete',
			providerId: 'openai'
		});
	});

	it('continues a chat and sets its system prompt', async () => {
		const sb = await sdkClient();
		const first = await sb.ask({ content: 'One', providerId: 'openai' }).result;
		const second = await sb.ask({ chatId: first.chatId, content: 'Two', system: 'Be brief' }).result;
		expect(second.chatId).toBe(first.chatId);
		const chat = await sb.chats.get.query({ chatId: first.chatId });
		expect(chat.systemPrompt).toBe('Be brief');
		expect(chat.messages.filter((m) => m.role === 'user').map((m) => m.content)).toEqual(['One', 'Two']);
	});

	it('reports the provider that really answered after a fallback', async () => {
		const sb = await sdkClient();
		harness.emulators.anthropic.script({
			status: 529,
			errorType: 'overloaded_error',
			errorMessage: 'Overloaded'
		});
		const run = sb.ask({ content: 'Hi' });
		const events = await collect(run);
		const result = await run.result;
		expect(events.some((e) => e.type === 'fallback')).toBe(true);
		expect(result.providerId).not.toBe('anthropic');
		expect(result.fallbacks[0]).toMatchObject({ from: { providerId: 'anthropic' }, reason: 'overloaded' });
		expect(result.fallbacks[0].to).toEqual({ providerId: result.providerId, modelId: result.modelId });
	});

	it('rejects the result with the provider code when the stream ends in an error', async () => {
		const sb = await sdkClient();
		harness.emulators.openai.script({
			chunks: ['par', 'tial', 'never'],
			errorAfter: 2,
			errorType: 'server_error'
		});
		const run = sb.ask({ content: 'Hi', providerId: 'openai' });
		const events = await collect(run);
		expect(events.at(-1)?.type).toBe('error');
		const error = await run.result.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(SwitchboardProviderError);
		const failure = error as SwitchboardProviderError;
		expect(failure.providerId).toBe('openai');
		expect(failure.text).toBe('partial');
		expect(failure.code).toBe(
			events.at(-1)?.type === 'error' ? (events.at(-1) as { error: { code: string } }).error.code : ''
		);
	});

	it('stop() ends the generation on the server and keeps what streamed', async () => {
		const sb = await sdkClient();
		harness.emulators.openai.script({ chunks: Array.from({ length: 40 }, (_, i) => `w${i} `), paceMs: 50 });
		const run = sb.ask({ content: 'Long answer please', providerId: 'openai' });
		for await (const event of run) {
			if (event.type === 'delta') break;
		}
		await run.stop();
		const outcome = await run.result.then(
			(result) => ({
				finishReason: result.finishReason,
				text: result.text,
				messageId: result.messageId,
				chatId: result.chatId
			}),
			(error: unknown) => ({ error })
		);
		expect(outcome).not.toHaveProperty('error');
		if ('finishReason' in outcome) {
			expect(outcome.finishReason).toBe('aborted');
			const chat = await sb.chats.get.query({ chatId: outcome.chatId });
			const message = chat.messages.find((m) => m.id === outcome.messageId);
			expect(message?.status).toBe('stopped');
			expect(message?.content).toBe(outcome.text);
		}
	});

	it('sends the token in connectionParams for an EventSource that cannot set headers', async () => {
		const sb = await sdkClient({ subscriptionAuth: 'connectionParams' });
		const result = await sb.ask({ content: 'Hi', providerId: 'openai' }).result;
		expect(result.text).toMatch(/You said: Hi/);
	});
});

describe('stateless completions', () => {
	it('complete() answers in one response', async () => {
		const sb = await sdkClient();
		harness.emulators.openai.script({ chunks: ['4'], usage: { inputTokens: 5, outputTokens: 1 } });
		const answer = await sb.complete({
			providerId: 'openai',
			modelId: 'gpt-4o-mini',
			messages: [{ role: 'user', content: '2+2?' }],
			system: 'Answer with a number',
			maxTokens: 5
		});
		expect(answer).toMatchObject({
			text: '4',
			providerId: 'openai',
			modelId: 'gpt-4o-mini',
			finishReason: 'stop',
			usage: { inputTokens: 5, outputTokens: 1 }
		});
		const request = harness.emulators.openai.requests.at(-1)?.body as { messages: { role: string }[] };
		expect(request.messages[0]).toMatchObject({ role: 'system' });
	});

	it('streamCompletion() streams the same events and result shape', async () => {
		const sb = await sdkClient();
		harness.emulators.openai.script({ chunks: ['a', 'b', 'c'], paceMs: 10 });
		const run = sb.streamCompletion({ providerId: 'openai', messages: [{ role: 'user', content: 'abc' }] });
		const events = await collect(run);
		expect(deltas(events)).toEqual(['a', 'b', 'c']);
		const result = await run.result;
		expect(result).toMatchObject({ text: 'abc', providerId: 'openai', finishReason: 'stop' });
		expect(result.generationId).toMatch(/^[0-9a-f-]{36}$/);
	});
});

describe('typed errors', () => {
	it('a refused token is UNAUTHORIZED, for calls and for streams', async () => {
		const sb = createSwitchboardClient({ url: harness.url, token: 'sb_not_a_real_token_000000000000' });
		const raw = await sb.chats.list.query({}).catch((e: unknown) => e);
		expect(toSwitchboardError(raw)).toMatchObject({ code: 'UNAUTHORIZED', httpStatus: 401 });
		const viaHelper = await sb
			.complete({ messages: [{ role: 'user', content: 'x' }] })
			.catch((e: unknown) => e);
		expect(viaHelper).toBeInstanceOf(SwitchboardError);
		expect(viaHelper).toMatchObject({ code: 'UNAUTHORIZED', httpStatus: 401 });
		await expect(sb.ask({ content: 'x' }).result).rejects.toMatchObject({ code: 'UNAUTHORIZED' });

		// A subscription with a bad token fails too, rather than reconnecting forever.
		const owner = await sdkClient();
		const { messageId } = await owner.ask({ content: 'x', providerId: 'openai' }).result;
		const streamError = await new Promise((resolve) => {
			const subscription = sb.chats.stream.subscribe(
				{ messageId },
				{
					onData: () => resolve(new Error('received data without a valid token')),
					onError: (error) => {
						subscription.unsubscribe();
						resolve(error);
					}
				}
			);
		});
		expect(toSwitchboardError(streamError)).toMatchObject({ code: 'UNAUTHORIZED' });
	});

	it('an unknown model is refused before any provider is called', async () => {
		const sb = await sdkClient();
		const error = await sb
			.complete({
				providerId: 'openai',
				modelId: 'gpt-does-not-exist',
				messages: [{ role: 'user', content: 'x' }]
			})
			.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(SwitchboardError);
		expect(error).toMatchObject({
			code: 'BAD_REQUEST',
			message: expect.stringMatching(/Unknown model "gpt-does-not-exist"/)
		});
		expect(harness.emulators.openai.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
	});

	it('ask with an unknown model rejects and leaves no empty chat behind', async () => {
		const sb = await sdkClient();
		const run = sb.ask({ content: 'x', providerId: 'openai', modelId: 'gpt-nope' });
		await expect(run.result).rejects.toMatchObject({ code: 'BAD_REQUEST' });
		expect((await sb.chats.list.query({})).items).toHaveLength(0);
	});

	it('a provider failure exposes its ProviderErrorCode and the wait', async () => {
		const sb = await sdkClient();
		// Every provider limited: the fallback chain runs out and the failure reaches the caller.
		const limited = {
			status: 429,
			errorType: 'rate_limit_exceeded',
			headers: { 'retry-after': '7' },
			persist: true
		};
		harness.emulators.openai.script(limited);
		harness.emulators.anthropic.script({ ...limited, errorType: 'rate_limit_error' });
		harness.emulators.ollama.script(limited);
		const error = await sb
			.complete({ providerId: 'openai', messages: [{ role: 'user', content: 'x' }] })
			.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(SwitchboardError);
		expect(error).toMatchObject({ code: 'TOO_MANY_REQUESTS', provider: { code: 'rate_limited' } });
		expect((error as SwitchboardError).retryAfterMs).toBeGreaterThan(0);
	});

	it('invalid input lists the fields', async () => {
		const sb = await sdkClient();
		const error = await sb.complete({ messages: [], temperature: 5 }).catch((e: unknown) => e);
		expect(error).toMatchObject({ code: 'BAD_REQUEST' });
		expect(Object.keys((error as SwitchboardError).fieldErrors ?? {})).toEqual(
			expect.arrayContaining(['messages', 'temperature'])
		);
	});

	it('an unreachable server is a NETWORK_ERROR', async () => {
		const sb = createSwitchboardClient({ url: 'http://127.0.0.1:9', token: 'sb_x' });
		await expect(sb.complete({ messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({
			code: 'NETWORK_ERROR'
		});
	});
});
