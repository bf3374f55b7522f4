import {
	driveStream,
	preamble,
	sendJson,
	startEmulator,
	type Emulator,
	type EmulatorContext,
	type EmulatorOptions,
	type Frames
} from './emulator-server';
import { echoChunks, plausibleUsage, type ChatInput, type ModelSpec, type Scenario } from './script';

/** Ollama's /api/chat over NDJSON (last line `done: true`), /api/tags, /api/show, /api/version. */

export const defaultOllamaModels: ModelSpec[] = [
	{ id: 'llama3.2:1b', contextWindow: 131_072 },
	{ id: 'qwen2.5:0.5b', contextWindow: 32_768 }
];

function errorBody(status: number, scenario: Scenario | undefined, model: string) {
	const defaults: Record<number, string> = {
		404: `model '${model}' not found`,
		500: 'llama runner process has terminated'
	};
	return { error: scenario?.errorMessage ?? defaults[status] ?? `error ${status}` };
}

const line = (data: unknown) => `${JSON.stringify(data)}\n`;
const createdAt = () => new Date().toISOString();

function frames(model: string): Frames {
	return {
		contentType: 'application/x-ndjson',
		head: () => [],
		delta: (text) =>
			line({ model, created_at: createdAt(), message: { role: 'assistant', content: text }, done: false }),
		end: (reason, usage) => [
			line({
				model,
				created_at: createdAt(),
				message: { role: 'assistant', content: '' },
				done: true,
				done_reason: reason ?? 'stop',
				total_duration: 1_060_152_334,
				load_duration: 763_833_084,
				prompt_eval_count: usage.inputTokens,
				prompt_eval_duration: 185_414_666,
				eval_count: usage.outputTokens,
				eval_duration: 108_885_167
			})
		],
		error: (_type, message) => line({ error: message })
	};
}

async function chat(ctx: EmulatorContext): Promise<void> {
	const body = (ctx.body ?? {}) as ChatInput & { stream?: boolean };
	const model = String(body.model ?? '');
	const scenario = ctx.takeScenario('chat', model);
	if (await preamble(ctx, scenario, (status) => errorBody(status, scenario, model))) return;
	const input = { ...body, messages: body.messages ?? [] };
	const chunks = scenario?.chunks ?? echoChunks(input);
	const usage = scenario?.usage ?? plausibleUsage(input, chunks);
	// The server streams unless told otherwise (the JS client always says).
	if (body.stream !== false) return driveStream(ctx, scenario, chunks, usage, frames(model));
	const [done] = frames(model).end(scenario?.finishReason, usage);
	const final = JSON.parse(done) as Record<string, unknown>;
	sendJson(ctx.res, 200, { ...final, message: { role: 'assistant', content: chunks.join('') } });
}

function show(ctx: EmulatorContext): void {
	const name = String(
		(ctx.body as { model?: string; name?: string } | undefined)?.model ??
			(ctx.body as { name?: string })?.name ??
			''
	);
	const model = ctx.models.find((m) => m.id === name);
	if (!model) return sendJson(ctx.res, 404, { error: `model '${name}' not found` });
	sendJson(ctx.res, 200, {
		modelfile: '',
		parameters: '',
		template: '{{ .Prompt }}',
		details: { format: 'gguf', family: 'llama', parameter_size: '1.2B', quantization_level: 'Q8_0' },
		model_info: { 'general.architecture': 'llama', 'llama.context_length': model.contextWindow ?? 4096 },
		capabilities: model.vision ? ['completion', 'vision'] : ['completion'],
		modified_at: '2026-03-19T10:00:00Z'
	});
}

function tags(ctx: EmulatorContext): void {
	sendJson(ctx.res, 200, {
		models: ctx.models.map((m) => ({
			name: m.id,
			model: m.id,
			modified_at: '2026-03-19T10:00:00Z',
			size: 1_321_098_329,
			digest: 'emulator',
			details: { format: 'gguf', family: 'llama', parameter_size: '1.2B', quantization_level: 'Q8_0' }
		}))
	});
}

export async function ollamaHandler(ctx: EmulatorContext): Promise<boolean> {
	const { req, url } = ctx;
	if (req.method === 'POST' && url.pathname === '/api/chat') return chat(ctx).then(() => true);
	if (req.method === 'GET' && url.pathname === '/api/version')
		return (sendJson(ctx.res, 200, { version: '0.6.4-emulator' }), true);
	const listing =
		(req.method === 'GET' && url.pathname === '/api/tags') ||
		(req.method === 'POST' && url.pathname === '/api/show');
	if (!listing) return false;
	const scenario = ctx.takeScenario('models');
	if (await preamble(ctx, scenario, (status) => errorBody(status, scenario, ''))) return true;
	if (url.pathname === '/api/tags') tags(ctx);
	else show(ctx);
	return true;
}

export function startOllamaEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
	return startEmulator({
		...options,
		handler: ollamaHandler,
		defaultModels: defaultOllamaModels,
		basePath: ''
	});
}
