import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startOllamaEmulator, type Emulator } from '../../emulators';
import { collect, providerFor, user } from './harness';

let emu: Emulator;
beforeAll(async () => {
	emu = await startOllamaEmulator();
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

const ollama = () => providerFor('ollama', emu);
const ask = (content = 'hi', extra = {}) => ({ model: 'llama3.2:1b', messages: [user(content)], ...extra });
const signal = () => new AbortController().signal;

describe('Ollama adapter on ollama-js', () => {
	it('streams NDJSON to text and usage from prompt_eval_count / eval_count', async () => {
		emu.script({ chunks: ['Hel', 'lo', '!'], usage: { inputTokens: 33, outputTokens: 3 } });
		const out = await collect(ollama().stream(ask(), signal()));
		expect(out.text).toBe('Hello!');
		expect(out.finish).toEqual({
			finishReason: 'stop',
			usage: { inputTokens: 33, outputTokens: 3, cacheReadTokens: 0, cacheWriteTokens: 0, estimated: false }
		});
	});

	it('sends the system message first, options.temperature and num_predict, stream: true', async () => {
		await collect(
			ollama().stream(ask('x', { system: 'Be brief.', temperature: 0.2, maxTokens: 50 }), signal())
		);
		expect(emu.requests[0].body).toMatchObject({
			model: 'llama3.2:1b',
			stream: true,
			options: { temperature: 0.2, num_predict: 50 },
			messages: [
				{ role: 'system', content: 'Be brief.' },
				{ role: 'user', content: 'x' }
			]
		});
	});

	it('sends no options when neither temperature nor max tokens is set', async () => {
		await collect(ollama().stream(ask(), signal()));
		expect(emu.requests[0].body).not.toHaveProperty('options');
	});

	it('maps done_reason length', async () => {
		emu.script({ finishReason: 'length' });
		expect((await collect(ollama().stream(ask(), signal()))).finish?.finishReason).toBe('length');
	});

	it.each([
		[{ status: 404 }, 'model_not_found', false],
		[{ status: 500 }, 'unavailable', true],
		[{ status: 503 }, 'unavailable', true],
		[{ status: 429 }, 'rate_limited', true],
		[{ status: 400, errorMessage: 'invalid options' }, 'invalid_request', false]
	] as const)('maps %o to %s (retryable %s)', async (scenario, code, retryable) => {
		emu.script(scenario);
		const out = await collect(ollama().stream(ask(), signal()));
		expect(out.error).toMatchObject({ code, retryable, providerId: 'ollama', status: scenario.status });
	});

	it('turns an {"error"} line after k deltas into an error, keeping the deltas', async () => {
		emu.script({ errorAfter: 2, errorMessage: 'llama runner crashed' });
		const out = await collect(ollama().stream(ask(), signal()));
		expect(out.deltas).toHaveLength(2);
		expect(out.error?.code).toBe('unavailable');
	});

	it('treats a stream without done: true as an error', async () => {
		emu.script({ omitTerminator: true });
		const out = await collect(ollama().stream(ask(), signal()));
		expect(out.text).toContain('Hello from');
		expect(out.error).toMatchObject({ code: 'unavailable', retryable: false });
	});

	it('closes the upstream socket when the signal aborts', async () => {
		emu.script({ paceMs: 50, chunks: ['a', 'b', 'c', 'd'] });
		const controller = new AbortController();
		const out = await collect(ollama().stream(ask(), controller.signal), () => controller.abort());
		expect(out.error?.code).toBe('aborted');
		await vi.waitFor(() => expect(emu.requests[0].clientClosed).toBe(true));
	});

	it('aborts before the headers arrive too', async () => {
		emu.script({ delayMs: 2_000 });
		const controller = new AbortController();
		setTimeout(() => controller.abort(), 50);
		const out = await collect(ollama().stream(ask(), controller.signal));
		expect(out.error?.code).toBe('aborted');
		await vi.waitFor(() => expect(emu.requests[0].clientClosed).toBe(true));
	});

	it('fails fast with unavailable when nothing listens', async () => {
		const dead = providerFor('ollama', { url: 'http://127.0.0.1:9' });
		const out = await collect(dead.stream(ask(), signal()));
		expect(out.error).toMatchObject({ code: 'unavailable', retryable: true });
	});

	it('checks its health by listing the models, timed, and maps a dead server to unavailable', async () => {
		const health = await ollama().checkHealth();
		expect(health).toEqual({ ok: true, latencyMs: expect.any(Number) });
		expect(emu.requests.map((r) => r.path)).toEqual(['/api/tags']);
		const dead = providerFor('ollama', { url: 'http://127.0.0.1:9' });
		await expect(dead.checkHealth()).rejects.toMatchObject({ code: 'unavailable', retryable: true });
	});

	it('completes without streaming', async () => {
		const result = await ollama().complete(ask('x'), signal());
		expect(result).toMatchObject({
			text: 'Hello from llama3.2:1b. You said: x',
			finishReason: 'stop',
			usage: { estimated: false }
		});
		expect(emu.requests[0].body).toMatchObject({ stream: false });
	});

	it('discovers models from /api/tags with context lengths from /api/show', async () => {
		const models = await ollama().listModels();
		expect(models).toEqual([
			{ modelId: 'llama3.2:1b', displayName: 'llama3.2:1b', contextWindow: 131_072, vision: false },
			{ modelId: 'qwen2.5:0.5b', displayName: 'qwen2.5:0.5b', contextWindow: 32_768, vision: false }
		]);
		await expect(ollama().validateModel('llama3.2:3b')).rejects.toMatchObject({
			code: 'model_not_found',
			message: expect.stringContaining('"llama3.2:1b"')
		});
	});
});
