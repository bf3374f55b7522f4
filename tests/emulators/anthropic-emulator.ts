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

/** The Messages API's usage object: the cache's tokens apart from input_tokens. */
const wireUsage = (usage: EmulatedUsage, outputTokens: number) => ({
	input_tokens: usage.inputTokens,
	cache_creation_input_tokens: usage.cacheWriteTokens ?? 0,
	cache_read_input_tokens: usage.cacheReadTokens ?? 0,
	output_tokens: outputTokens
});

/** Anthropic Messages over SSE (`event:` + `data:`), paginated models list, error bodies. */

export const defaultAnthropicModels: ModelSpec[] = [
	{
		id: 'claude-sonnet-4-5',
		displayName: 'Claude Sonnet 4.5',
		contextWindow: 200_000,
		maxOutputTokens: 64_000
	},
	{
		id: 'claude-haiku-4-5',
		displayName: 'Claude Haiku 4.5',
		contextWindow: 200_000,
		maxOutputTokens: 64_000
	},
	{ id: 'claude-opus-4-5', displayName: 'Claude Opus 4.5', contextWindow: 200_000, maxOutputTokens: 64_000 }
];

const errorTypes: Record<number, string> = {
	400: 'invalid_request_error',
	401: 'authentication_error',
	403: 'permission_error',
	404: 'not_found_error',
	413: 'request_too_large',
	429: 'rate_limit_error',
	500: 'api_error',
	503: 'api_error',
	529: 'overloaded_error'
};

function errorBody(status: number, scenario: Scenario | undefined, ctx: EmulatorContext, model: string) {
	// SDK 1.x sends the key as a bearer token; older clients send x-api-key. Accept either.
	const key = String(
		ctx.req.headers['x-api-key'] ?? (ctx.req.headers.authorization ?? '').replace(/^Bearer\s+/i, '')
	);
	const type = scenario?.errorType ?? errorTypes[status] ?? 'api_error';
	const defaults: Record<string, string> = {
		// Echoes the key it got, so tests prove adapters never pass an upstream auth message on.
		authentication_error: `invalid x-api-key: ${key}`,
		not_found_error: `model: ${model}`,
		rate_limit_error: 'Number of requests has exceeded your rate limit.',
		overloaded_error: 'Overloaded',
		request_too_large: 'Request exceeds the maximum allowed number of bytes.',
		invalid_request_error: 'Invalid request.',
		api_error: 'Internal server error'
	};
	return {
		type: 'error',
		error: { type, message: scenario?.errorMessage ?? defaults[type] ?? type },
		request_id: 'req_emu'
	};
}

const sse = (type: string, data: unknown) =>
	`event: ${type}\ndata: ${JSON.stringify({ type, ...(data as object) })}\n\n`;

function frames(model: string, usage: EmulatedUsage): Frames {
	const message = {
		id: 'msg_emu',
		type: 'message',
		role: 'assistant',
		model,
		content: [],
		stop_reason: null,
		stop_sequence: null
	};
	return {
		contentType: 'text/event-stream',
		head: () => [
			sse('message_start', {
				message: { ...message, usage: wireUsage(usage, 1) }
			}),
			sse('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
			sse('ping', {})
		],
		delta: (text) => sse('content_block_delta', { index: 0, delta: { type: 'text_delta', text } }),
		end: (reason, usage) => [
			sse('content_block_stop', { index: 0 }),
			sse('message_delta', {
				delta: { stop_reason: reason ?? 'end_turn', stop_sequence: null },
				usage: wireUsage(usage, usage.outputTokens)
			}),
			sse('message_stop', {})
		],
		error: (type, message) => sse('error', { error: { type, message } })
	};
}

async function messages(ctx: EmulatorContext): Promise<void> {
	const body = (ctx.body ?? {}) as ChatInput & { stream?: boolean };
	const model = String(body.model ?? '');
	const scenario = ctx.takeScenario('chat', model);
	if (await preamble(ctx, scenario, (status) => errorBody(status, scenario, ctx, model))) return;
	if (scenario?.fixture) {
		const replay = loadFixture(scenario.fixture).map((line) => {
			const type = (JSON.parse(line) as { type: string }).type;
			return {
				text: `event: ${type}\ndata: ${line}\n\n`,
				terminal: type === 'message_delta' || type === 'message_stop'
			};
		});
		return replayFrames(ctx, scenario, 'text/event-stream', replay);
	}
	const input = { ...body, messages: body.messages ?? [] };
	const chunks = scenario?.chunks ?? echoChunks(input);
	const usage = scenario?.usage ?? plausibleUsage(input, chunks);
	if (body.stream) return driveStream(ctx, scenario, chunks, usage, frames(model, usage));
	sendJson(ctx.res, 200, {
		id: 'msg_emu',
		type: 'message',
		role: 'assistant',
		model,
		content: [{ type: 'text', text: chunks.join('') }],
		stop_reason: scenario?.finishReason ?? 'end_turn',
		stop_sequence: null,
		usage: wireUsage(usage, usage.outputTokens)
	});
}

/** GET /v1/models?limit&after_id: pages of `limit` (default 20) with has_more / first_id / last_id. */
function listModels(ctx: EmulatorContext): void {
	const limit = Math.max(1, Number(ctx.url.searchParams.get('limit') ?? 20));
	const after = ctx.url.searchParams.get('after_id');
	const start = after ? ctx.models.findIndex((m) => m.id === after) + 1 : 0;
	const page = ctx.models.slice(start, start + limit).map((m) => ({
		type: 'model',
		id: m.id,
		display_name: m.displayName ?? m.id,
		created_at: '2025-09-29T00:00:00Z',
		max_input_tokens: m.contextWindow ?? null,
		max_tokens: m.maxOutputTokens ?? null,
		lifecycle: 'active'
	}));
	sendJson(ctx.res, 200, {
		data: page,
		has_more: start + limit < ctx.models.length,
		first_id: page[0]?.id ?? null,
		last_id: page[page.length - 1]?.id ?? null
	});
}

export function anthropicHandler(ctx: EmulatorContext): Promise<boolean> {
	const { req, url } = ctx;
	if (req.method === 'POST' && url.pathname === '/v1/messages') return messages(ctx).then(() => true);
	if (req.method === 'GET' && url.pathname === '/v1/models') {
		const scenario = ctx.takeScenario('models');
		return preamble(ctx, scenario, (status) => errorBody(status, scenario, ctx, '')).then((answered) => {
			if (!answered) listModels(ctx);
			return true;
		});
	}
	return Promise.resolve(false);
}

export function startAnthropicEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
	return startEmulator({
		...options,
		handler: anthropicHandler,
		defaultModels: defaultAnthropicModels,
		basePath: ''
	});
}
