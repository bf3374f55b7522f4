import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { CACHE_HIT_MARKER, startOpenAIEmulator, type Emulator } from '../../emulators';
import { collect, providerFor, TEST_KEY, user } from './harness';

let emu: Emulator;
beforeAll(async () => {
	emu = await startOpenAIEmulator();
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

const openai = () => providerFor('openai', emu);
const ask = (content = 'hi', extra = {}) => ({ model: 'gpt-4.1-mini', messages: [user(content)], ...extra });
const signal = () => new AbortController().signal;

describe('OpenAI adapter on the real SDK', () => {
	it('streams the recorded fixture to its exact text and usage', async () => {
		emu.script({ fixture: 'openai-text-abridged' });
		const out = await collect(openai().stream(ask(), signal()));
		expect(out.text).toBe('**Holiday Name:** Harmony Day\n\n mutual respect.');
		expect(out.finish).toEqual({
			finishReason: 'stop',
			usage: { inputTokens: 16, outputTokens: 300, cacheReadTokens: 0, cacheWriteTokens: 0, estimated: false }
		});
	});

	it('streams the default echo answer in several deltas', async () => {
		const out = await collect(openai().stream(ask('what time is it'), signal()));
		expect(out.text).toBe('Hello from gpt-4.1-mini. You said: what time is it');
		expect(out.deltas.length).toBeGreaterThan(1);
		expect(out.finish?.usage.estimated).toBe(false);
	});

	it('sends the system prompt as a system message, temperature, max_completion_tokens and include_usage', async () => {
		await collect(
			openai().stream({ ...ask(), system: 'Be brief.', temperature: 0.3, maxTokens: 77 }, signal())
		);
		const [request] = emu.requests;
		expect(request.headers.authorization).toBe(`Bearer ${TEST_KEY}`);
		expect(request.body).toMatchObject({
			model: 'gpt-4.1-mini',
			stream: true,
			stream_options: { include_usage: true },
			temperature: 0.3,
			max_completion_tokens: 77,
			messages: [
				{ role: 'system', content: 'Be brief.' },
				{ role: 'user', content: 'hi' }
			]
		});
		expect(request.body).not.toHaveProperty('max_tokens');
	});

	it('leaves temperature off the wire when the request has none', async () => {
		await collect(openai().stream(ask(), signal()));
		expect(emu.requests[0].body).not.toHaveProperty('temperature');
	});

	it('makes exactly one HTTP request per call (the SDK does not retry)', async () => {
		emu.script({ status: 500, persist: true });
		const out = await collect(openai().stream(ask(), signal()));
		expect(out.error?.code).toBe('unavailable');
		expect(emu.requests).toHaveLength(1);
	});

	it.each([
		[{ status: 401 }, 'auth', false],
		[{ status: 403 }, 'auth', false],
		[{ status: 404 }, 'model_not_found', false],
		[{ status: 429, headers: { 'retry-after-ms': '5' } }, 'rate_limited', true],
		[{ status: 429, errorType: 'insufficient_quota' }, 'rate_limited', false],
		[{ status: 500 }, 'unavailable', true],
		[{ status: 503 }, 'unavailable', true],
		[{ status: 529 }, 'overloaded', true],
		[
			{
				status: 400,
				errorType: 'context_length_exceeded',
				errorMessage: "This model's maximum context length is 8192 tokens."
			},
			'context_length',
			false
		],
		[{ status: 400, errorMessage: 'temperature must be at most 2' }, 'invalid_request', false]
	] as const)('maps %o to %s (retryable %s)', async (scenario, code, retryable) => {
		emu.script(scenario);
		const out = await collect(openai().stream(ask(), signal()));
		expect(out.error).toMatchObject({ code, retryable, providerId: 'openai', status: scenario.status });
		expect(out.error?.message).not.toContain(TEST_KEY);
	});

	it('reads retry-after-ms and retry-after from the headers', async () => {
		emu.script(
			{ status: 429, headers: { 'retry-after-ms': '5' } },
			{ status: 429, headers: { 'retry-after': '2' } }
		);
		expect((await collect(openai().stream(ask(), signal()))).error?.retryAfterMs).toBe(5);
		expect((await collect(openai().stream(ask(), signal()))).error?.retryAfterMs).toBe(2000);
	});

	it('never puts the key in the message of a 401 whose body echoes it', async () => {
		emu.script({ status: 401 });
		const out = await collect(openai().stream(ask(), signal()));
		expect(JSON.stringify(emu.requests.length)).toBe('1');
		expect(out.error?.message).not.toContain(TEST_KEY);
		expect(String((out.error?.cause as Error | undefined)?.message)).not.toContain(TEST_KEY);
	});

	it('turns an in-stream error after k deltas into an error, keeping the deltas', async () => {
		emu.script({ errorAfter: 2, errorType: 'server_error', errorMessage: 'boom' });
		const out = await collect(openai().stream(ask(), signal()));
		expect(out.deltas).toHaveLength(2);
		expect(out.error?.code).toBe('unavailable');
	});

	it('treats a stream without finish_reason and [DONE] as an error, not a success', async () => {
		emu.script({ omitTerminator: true });
		const out = await collect(openai().stream(ask(), signal()));
		expect(out.text).toContain('Hello from');
		expect(out.finish).toBeUndefined();
		expect(out.error).toMatchObject({ code: 'unavailable', retryable: false });
	});

	it('maps a reset connection mid-stream to unavailable', async () => {
		emu.script({ resetAfter: 1 });
		const out = await collect(openai().stream(ask(), signal()));
		expect(out.deltas).toHaveLength(1);
		expect(out.error?.code).toBe('unavailable');
	});

	it('closes the upstream socket when the signal aborts mid-stream', async () => {
		emu.script({ paceMs: 50, chunks: ['a', 'b', 'c', 'd', 'e', 'f'] });
		const controller = new AbortController();
		const out = await collect(openai().stream(ask(), controller.signal), (part) => {
			if (part.type === 'text-delta') controller.abort();
		});
		expect(out.error?.code).toBe('aborted');
		await vi.waitFor(() => expect(emu.requests[0].clientClosed).toBe(true));
	});

	it('completes without streaming', async () => {
		const result = await openai().complete(ask('x', { system: 'S' }), signal());
		expect(result.text).toBe('Hello from gpt-4.1-mini. You said: x');
		expect(result.finishReason).toBe('stop');
		expect(result.usage.estimated).toBe(false);
		expect(emu.requests[0].body).toMatchObject({
			stream: false,
			messages: [
				{ role: 'system', content: 'S' },
				{ role: 'user', content: 'x' }
			]
		});
	});

	it('lists chat models only and validates ids with close matches', async () => {
		const models = await openai().listModels();
		expect(models.map((m) => m.modelId)).toEqual([
			'gpt-4.1-mini',
			'gpt-4.1-nano',
			'gpt-4o-mini',
			'gpt-5-mini'
		]);
		await expect(openai().validateModel('gpt-4.1-mini')).resolves.toBeUndefined();
		await expect(openai().validateModel('gpt-4.1-mnii')).rejects.toMatchObject({
			code: 'model_not_found',
			message: expect.stringContaining('"gpt-4.1-mini"')
		});
	});

	it('reports health and maps a dead host to unavailable', async () => {
		await expect(openai().checkHealth()).resolves.toMatchObject({ ok: true });
		const dead = providerFor('openai', { url: 'http://127.0.0.1:9/v1' });
		const out = await collect(dead.stream(ask(), signal()));
		expect(out.error).toMatchObject({ code: 'unavailable', retryable: true });
	});

	it('does not follow a redirect to another host', async () => {
		emu.script({ status: 307, headers: { location: 'http://127.0.0.2:1/v1/chat/completions' } });
		const out = await collect(openai().stream(ask(), signal()));
		expect(out.error).toMatchObject({ code: 'invalid_request', retryable: false });
		expect(out.error?.message).toMatch(/redirected to another host/);
	});
});

describe('OpenAI cached tokens on the real SDK', () => {
	it('keeps cached_tokens inside the prompt figure, streamed and whole', async () => {
		const usage = { inputTokens: 2006, outputTokens: 9, cacheReadTokens: 1920 };
		emu.script({ usage }, { usage });
		const streamed = await collect(openai().stream(ask(), signal()));
		const whole = await openai().complete(ask(), signal());
		for (const figures of [streamed.finish?.usage, whole.usage]) {
			expect(figures).toEqual({
				inputTokens: 2006,
				outputTokens: 9,
				cacheReadTokens: 1920,
				cacheWriteTokens: 0,
				estimated: false
			});
		}
	});

	it("reports the whole prompt as cached when the prompt carries the emulator's cache marker", async () => {
		const out = await collect(openai().stream(ask(`again ${CACHE_HIT_MARKER}`), signal()));
		expect(out.finish?.usage.cacheReadTokens).toBeGreaterThan(0);
		expect(out.finish?.usage.cacheReadTokens).toBe(out.finish?.usage.inputTokens);
	});

	it('ignores the cache flag: OpenAI caches on its own, the body stays as it was', async () => {
		await collect(openai().stream(ask('hi', { promptCaching: true }), signal()));
		expect(JSON.stringify(emu.requests[0].body)).not.toContain('cache');
	});
});
