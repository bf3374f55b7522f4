import { loadFixture } from './fixtures';
import {
	driveStream,
	preamble,
	replayFrames,
	sendJson,
	startEmulator,
	type Emulator,
	type EmulatorContext,
	type EmulatorOptions,
	type Frames
} from './emulator-server';
import {
	echoChunks,
	plausibleUsage,
	type ChatInput,
	type EmulatedUsage,
	type ModelSpec,
	type Scenario
} from './script';

/** Chat Completions' usage object: cached tokens are counted inside prompt_tokens. */
const wireUsage = (usage: EmulatedUsage) => ({
	prompt_tokens: usage.inputTokens,
	completion_tokens: usage.outputTokens,
	total_tokens: usage.inputTokens + usage.outputTokens,
	prompt_tokens_details: { cached_tokens: usage.cacheReadTokens ?? 0 }
});

/** OpenAI Chat Completions over SSE (`data: <json>` lines, `data: [DONE]`), models list, error bodies. */

export const defaultOpenAIModels: ModelSpec[] = [
	{ id: 'gpt-4.1-mini' },
	{ id: 'gpt-4.1-nano' },
	{ id: 'gpt-4o-mini' },
	{ id: 'gpt-5-mini' },
	{ id: 'text-embedding-3-small' }
];

function errorBody(status: number, scenario: Scenario | undefined, ctx: EmulatorContext, model: string) {
	const type = scenario?.errorType;
	const key = (ctx.req.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
	const defaults: Record<number, { message: string; type: string; code: string | null }> = {
		// Like the real API, the 401 names the key it got: adapters must not pass that on.
		401: {
			message: `Incorrect API key provided: ${key}.`,
			type: 'invalid_request_error',
			code: 'invalid_api_key'
		},
		403: { message: 'You are not allowed to use this model.', type: 'invalid_request_error', code: null },
		404: {
			message: `The model \`${model}\` does not exist or you do not have access to it.`,
			type: 'invalid_request_error',
			code: 'model_not_found'
		},
		429:
			type === 'insufficient_quota'
				? {
						message: 'You exceeded your current quota, please check your plan and billing details.',
						type: 'insufficient_quota',
						code: 'insufficient_quota'
					}
				: { message: 'Rate limit reached for requests.', type: 'requests', code: 'rate_limit_exceeded' },
		400: { message: 'Invalid request.', type: 'invalid_request_error', code: type ?? null },
		500: {
			message: 'The server had an error while processing your request.',
			type: 'server_error',
			code: null
		},
		503: {
			message: 'The engine is currently overloaded, please try again later.',
			type: 'server_error',
			code: null
		}
	};
	const base = defaults[status] ?? { message: `Error ${status}`, type: 'server_error', code: null };
	return {
		error: { ...base, message: scenario?.errorMessage ?? base.message, type: type ?? base.type, param: null }
	};
}

function frames(model: string): Frames {
	const id = `chatcmpl-emu${Date.now().toString(36)}`;
	const created = Math.floor(Date.now() / 1000);
	const chunk = (choices: unknown[], usage: unknown = null) =>
		`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices, usage })}\n\n`;
	return {
		contentType: 'text/event-stream',
		head: () => [chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }])],
		delta: (text) => chunk([{ index: 0, delta: { content: text }, finish_reason: null }]),
		end: (reason, usage) => [
			chunk([{ index: 0, delta: {}, finish_reason: reason ?? 'stop' }]),
			chunk([], wireUsage(usage)),
			'data: [DONE]\n\n'
		],
		error: (type, message) =>
			`data: ${JSON.stringify({ error: { message, type, param: null, code: null } })}\n\n`
	};
}

async function chat(ctx: EmulatorContext): Promise<void> {
	const body = (ctx.body ?? {}) as ChatInput & { stream?: boolean };
	const model = String(body.model ?? '');
	const scenario = ctx.takeScenario('chat', model);
	if (await preamble(ctx, scenario, (status) => errorBody(status, scenario, ctx, model))) return;
	if (scenario?.fixture) {
		const lines = loadFixture(scenario.fixture);
		const replay = lines.map((line) => {
			const parsed = JSON.parse(line) as { choices?: { finish_reason?: string | null }[] };
			const terminal = !parsed.choices?.length || !!parsed.choices[0]?.finish_reason;
			return { text: `data: ${line}\n\n`, terminal };
		});
		return replayFrames(ctx, scenario, 'text/event-stream', [
			...replay,
			{ text: 'data: [DONE]\n\n', terminal: true }
		]);
	}
	const chunks = scenario?.chunks ?? echoChunks({ ...body, messages: body.messages ?? [] });
	const usage = scenario?.usage ?? plausibleUsage({ ...body, messages: body.messages ?? [] }, chunks);
	if (body.stream) return driveStream(ctx, scenario, chunks, usage, frames(model));
	sendJson(ctx.res, 200, {
		id: 'chatcmpl-emu',
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model,
		choices: [
			{
				index: 0,
				message: { role: 'assistant', content: chunks.join('') },
				finish_reason: scenario?.finishReason ?? 'stop'
			}
		],
		usage: wireUsage(usage)
	});
}

export function openaiHandler(ctx: EmulatorContext): Promise<boolean> {
	const { req, url } = ctx;
	if (req.method === 'POST' && url.pathname === '/v1/chat/completions') return chat(ctx).then(() => true);
	if (req.method === 'GET' && url.pathname === '/v1/models') {
		const scenario = ctx.takeScenario('models');
		return preamble(ctx, scenario, (status) => errorBody(status, scenario, ctx, '')).then((answered) => {
			if (!answered) {
				const data = ctx.models.map((m) => ({
					id: m.id,
					object: 'model',
					created: 1_700_000_000,
					owned_by: 'emulator'
				}));
				sendJson(ctx.res, 200, { object: 'list', data });
			}
			return true;
		});
	}
	return Promise.resolve(false);
}

export function startOpenAIEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
	return startEmulator({
		...options,
		handler: openaiHandler,
		defaultModels: defaultOpenAIModels,
		basePath: '/v1'
	});
}
