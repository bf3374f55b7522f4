import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startAnthropicEmulator, type Emulator } from '../../emulators';
import { collect, providerFor, TEST_KEY, user } from './harness';

let emu: Emulator;
beforeAll(async () => {
	emu = await startAnthropicEmulator();
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

const anthropic = () => providerFor('anthropic', emu);
const ask = (content = 'hi', extra = {}) => ({
	model: 'claude-sonnet-4-5',
	messages: [user(content)],
	maxTokens: 100,
	...extra
});
const signal = () => new AbortController().signal;

describe('Anthropic adapter on the real SDK', () => {
	it('streams the recorded fixture to its exact text and usage (ping skipped)', async () => {
		emu.script({ fixture: 'anthropic-text' });
		const out = await collect(anthropic().stream(ask(), signal()));
		expect(out.text).toBe(
			"Hello! I'm doing well, thank you for asking. How are you doing today? Is there anything I can help you with?"
		);
		expect(out.finish).toEqual({
			finishReason: 'stop',
			usage: { inputTokens: 12, outputTokens: 30, cacheReadTokens: 0, cacheWriteTokens: 0, estimated: false }
		});
	});

	it('takes the final message_delta input figure over message_start', async () => {
		emu.script({ fixture: 'anthropic-input-tokens-updated' });
		const out = await collect(anthropic().stream(ask(), signal()));
		expect(out.text).toBe('pong');
		expect(out.finish?.usage).toEqual({
			inputTokens: 61,
			outputTokens: 2,
			cacheReadTokens: 0,
			cacheWriteTokens: 0,
			estimated: false
		});
	});

	it('sends a top-level system, merged turns starting with user, max_tokens, temperature and the key header', async () => {
		const request = {
			model: 'claude-sonnet-4-5',
			system: 'Be brief.',
			temperature: 0.5,
			maxTokens: 321,
			messages: [{ role: 'assistant' as const, content: 'Welcome!' }, user('one'), user('two')]
		};
		await collect(anthropic().stream(request, signal()));
		const [sent] = emu.requests;
		// SDK 1.x authenticates with a bearer token (older versions used x-api-key).
		expect(sent.headers['x-api-key'] ?? sent.headers.authorization).toMatch(
			new RegExp(`(Bearer )?${TEST_KEY}$`)
		);
		expect(sent.headers['anthropic-version']).toBeTruthy();
		expect(sent.body).toMatchObject({
			system: 'Be brief.',
			max_tokens: 321,
			temperature: 0.5,
			stream: true,
			messages: [
				{ role: 'user', content: '(conversation start)' },
				{ role: 'assistant', content: 'Welcome!' },
				{ role: 'user', content: 'one\n\ntwo' }
			]
		});
	});

	it('leaves temperature off the wire when the request has none, and defaults max_tokens', async () => {
		await collect(anthropic().stream({ model: 'claude-sonnet-4-5', messages: [user('x')] }, signal()));
		expect(emu.requests[0].body).not.toHaveProperty('temperature');
		expect(emu.requests[0].body).toMatchObject({ max_tokens: 4096 });
	});

	it.each([
		[{ status: 401 }, 'auth', false],
		[{ status: 403 }, 'auth', false],
		[{ status: 404 }, 'model_not_found', false],
		[{ status: 429, headers: { 'retry-after': '3' } }, 'rate_limited', true],
		[{ status: 413 }, 'context_length', false],
		[
			{ status: 400, errorMessage: 'prompt is too long: 201234 tokens > 200000 maximum' },
			'context_length',
			false
		],
		[{ status: 400, errorMessage: 'max_tokens: 100000 > 64000' }, 'invalid_request', false],
		[{ status: 500 }, 'unavailable', true],
		[{ status: 503 }, 'unavailable', true],
		[{ status: 529 }, 'overloaded', true]
	] as const)('maps %o to %s (retryable %s)', async (scenario, code, retryable) => {
		emu.script(scenario);
		const out = await collect(anthropic().stream(ask(), signal()));
		expect(out.error).toMatchObject({ code, retryable, providerId: 'anthropic', status: scenario.status });
		expect(out.error?.message).not.toContain(TEST_KEY);
		expect(emu.requests).toHaveLength(1);
	});

	it('reads retry-after (seconds) into retryAfterMs', async () => {
		emu.script({ status: 429, headers: { 'retry-after': '3' } });
		expect((await collect(anthropic().stream(ask(), signal()))).error?.retryAfterMs).toBe(3000);
	});

	it('never leaks the key from a 401 body that echoes it, in the message or the cause', async () => {
		emu.script({ status: 401 });
		const out = await collect(anthropic().stream(ask(), signal()));
		expect(out.error?.message).not.toContain(TEST_KEY);
		expect(String((out.error?.cause as Error).message)).not.toContain(TEST_KEY);
	});

	it('maps an in-stream overloaded_error event after k deltas to overloaded, keeping the deltas', async () => {
		emu.script({ errorAfter: 1, errorType: 'overloaded_error' });
		const out = await collect(anthropic().stream(ask(), signal()));
		expect(out.deltas).toHaveLength(1);
		expect(out.error?.code).toBe('overloaded');
	});

	it('treats a stream without message_stop as an error', async () => {
		emu.script({ omitTerminator: true });
		const out = await collect(anthropic().stream(ask(), signal()));
		expect(out.finish).toBeUndefined();
		expect(out.error).toMatchObject({ code: 'unavailable', retryable: false });
	});

	it('maps max_tokens and refusal stop reasons', async () => {
		emu.script({ finishReason: 'max_tokens' }, { finishReason: 'refusal' });
		expect((await collect(anthropic().stream(ask(), signal()))).finish?.finishReason).toBe('length');
		expect((await collect(anthropic().stream(ask(), signal()))).finish?.finishReason).toBe('content_filter');
	});

	it('closes the upstream socket when the signal aborts', async () => {
		emu.script({ paceMs: 50, chunks: ['a', 'b', 'c', 'd'] });
		const controller = new AbortController();
		const out = await collect(anthropic().stream(ask(), controller.signal), () => controller.abort());
		expect(out.error?.code).toBe('aborted');
		await vi.waitFor(() => expect(emu.requests[0].clientClosed).toBe(true));
	});

	it('completes without streaming', async () => {
		const result = await anthropic().complete(ask('x'), signal());
		expect(result).toMatchObject({ text: 'Hello from claude-sonnet-4-5. You said: x', finishReason: 'stop' });
		expect(emu.requests[0].body).toMatchObject({ stream: false });
	});

	it('follows has_more / after_id across model pages', async () => {
		const many = Array.from({ length: 130 }, (_, i) => ({
			id: `claude-test-${i}`,
			contextWindow: 1000 + i,
			maxOutputTokens: 10
		}));
		emu.setModels(many);
		const models = await anthropic().listModels();
		expect(models).toHaveLength(130);
		expect(models[129]).toEqual({
			modelId: 'claude-test-129',
			displayName: 'claude-test-129',
			contextWindow: 1129,
			maxOutputTokens: 10
		});
		expect(emu.requests.map((r) => r.query.after_id ?? null)).toEqual([null, 'claude-test-99']);
	});

	it('validates a model id with close matches', async () => {
		await expect(anthropic().validateModel('claude-sonet-4-5')).rejects.toMatchObject({
			code: 'model_not_found',
			message: expect.stringContaining('"claude-sonnet-4-5"')
		});
		await expect(anthropic().checkHealth()).resolves.toMatchObject({ ok: true });
	});
});

describe('Anthropic prompt caching on the real SDK', () => {
	const chat = (promptCaching?: boolean) => ({
		model: 'claude-haiku-4-5',
		system: 'You answer in one line.',
		messages: [user('first'), { role: 'assistant' as const, content: 'one' }, user('second')],
		maxTokens: 100,
		promptCaching
	});

	it('reads cache reads and writes from the stream, apart from input_tokens, into one total', async () => {
		emu.script({ usage: { inputTokens: 20, outputTokens: 7, cacheReadTokens: 1800, cacheWriteTokens: 300 } });
		const out = await collect(anthropic().stream(chat(true), signal()));
		expect(out.finish?.usage).toEqual({
			inputTokens: 2120,
			outputTokens: 7,
			cacheReadTokens: 1800,
			cacheWriteTokens: 300,
			estimated: false
		});
	});

	it('reads them from a whole message too', async () => {
		emu.script({ usage: { inputTokens: 5, outputTokens: 2, cacheReadTokens: 40, cacheWriteTokens: 0 } });
		const out = await anthropic().complete(chat(), signal());
		expect(out.usage).toMatchObject({ inputTokens: 45, cacheReadTokens: 40, cacheWriteTokens: 0 });
	});

	it('sends cache_control on the system prompt and the last user turn when caching is on', async () => {
		await collect(anthropic().stream(chat(true), signal()));
		const body = emu.requests[0].body as { system: unknown; messages: { content: unknown }[] };
		expect(body.system).toEqual([
			{ type: 'text', text: 'You answer in one line.', cache_control: { type: 'ephemeral' } }
		]);
		expect(body.messages.map((m) => m.content)).toEqual([
			'first',
			'one',
			[{ type: 'text', text: 'second', cache_control: { type: 'ephemeral' } }]
		]);
	});

	it('sends no cache_control when caching is off', async () => {
		await collect(anthropic().stream(chat(false), signal()));
		expect(JSON.stringify(emu.requests[0].body)).not.toContain('cache_control');
	});
});
