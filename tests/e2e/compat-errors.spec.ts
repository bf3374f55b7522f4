import Anthropic from '@anthropic-ai/sdk';
import { expect, test } from '@playwright/test';
import OpenAI from 'openai';
import type { EmulatedProvider } from './support/env';
import { chatRequests, resetEmulators, script } from './support/emulators';
import { readMetrics, total } from './support/metrics';
import {
	adminOf,
	freshDatabase,
	killSpawnedApps,
	spawnApp,
	spawnedPort,
	trpcOk,
	useEmulators
} from './support/spawned-app';

/*
 * The official OpenAI and Anthropic clients against a built app of its own (`node scripts/start.mjs`
 * on a fresh database, so its providers and limits can be changed freely): each provider through each
 * endpoint, an abort mid-stream, a fallback, and every refusal as the SDK's own error class.
 */
test.setTimeout(180_000);
test.afterEach(() => killSpawnedApps());
test.beforeEach(async () => resetEmulators());

const metricsToken = 'metrics-e2e-compat-token-0123456789';
const hi = [{ role: 'user' as const, content: 'Hi' }];
const providers: EmulatedProvider[] = ['anthropic', 'openai', 'ollama'];

async function failure(call: Promise<unknown>): Promise<Error> {
	try {
		await call;
	} catch (error) {
		return error as Error;
	}
	throw new Error('the call succeeded');
}

test('the official SDKs reach every provider through each endpoint, stop, fall back and fail in their own error classes', async () => {
	const app = await spawnApp({
		port: spawnedPort(8),
		database: await freshDatabase('compat'),
		env: { METRICS_TOKEN: metricsToken, PROVIDER_MAX_RETRIES: '0' }
	});
	const { token } = await adminOf(app);
	await useEmulators(app, token, providers, 'compat');
	const openai = new OpenAI({ baseURL: `${app.origin}/v1`, apiKey: token, maxRetries: 0 });
	const anthropic = new Anthropic({ baseURL: app.origin, apiKey: token, maxRetries: 0 });

	// Whole answers: each provider through each endpoint, its usage as the provider reported it.
	for (const model of ['anthropic/claude-sonnet-4-6', 'openai/gpt-4.1-mini', 'ollama/llama3.2:1b']) {
		const provider = model.split('/')[0] as EmulatedProvider;
		const usage = { inputTokens: 7, outputTokens: 3 };
		await script(provider, { chunks: ['Whole ', 'answer.'], usage, times: 2 });
		const completion = await openai.chat.completions.create({ model, messages: hi });
		expect(completion).toMatchObject({
			object: 'chat.completion',
			model,
			choices: [{ message: { role: 'assistant', content: 'Whole answer.' }, finish_reason: 'stop' }],
			usage: { prompt_tokens: 7, completion_tokens: 3 }
		});
		const message = await anthropic.messages.create({ model, max_tokens: 50, messages: hi });
		expect(message).toMatchObject({
			type: 'message',
			model,
			content: [{ type: 'text', text: 'Whole answer.' }],
			stop_reason: 'end_turn',
			usage: { input_tokens: 7, output_tokens: 3 }
		});
	}

	// Streamed, with include_usage: the last chunk carries the provider's usage.
	await script('ollama', { chunks: ['Local ', 'stream.'], usage: { inputTokens: 4, outputTokens: 2 } });
	const chunks = await openai.chat.completions.create({
		model: 'ollama/llama3.2:1b',
		messages: hi,
		stream: true,
		stream_options: { include_usage: true }
	});
	let streamed = '';
	let lastUsage: OpenAI.CompletionUsage | null | undefined;
	for await (const chunk of chunks) {
		streamed += chunk.choices[0]?.delta?.content ?? '';
		lastUsage = chunk.usage;
	}
	expect(streamed).toBe('Local stream.');
	expect(lastUsage).toMatchObject({ prompt_tokens: 4, completion_tokens: 2 });

	// An SDK abort mid-stream closes the upstream call, which is counted as stopped (aborted).
	await script('openai', { chunks: ['a', 'b', 'c', 'd', 'e'], stallAfter: 2 });
	const stalled = await openai.chat.completions.create({
		model: 'openai/gpt-4.1-mini',
		messages: hi,
		stream: true
	});
	let text = '';
	for await (const chunk of stalled) {
		text += chunk.choices[0]?.delta?.content ?? '';
		if (text === 'ab') stalled.controller.abort();
	}
	await expect.poll(async () => (await chatRequests('openai')).at(-1)?.clientClosed).toBe(true);
	await expect
		.poll(async () =>
			total(await readMetrics(app.origin, metricsToken), 'switchboard_provider_calls_total', {
				provider: 'openai',
				outcome: 'aborted'
			})
		)
		.toBe(1);

	// A fallback before the first token: the model says who answered, a header says it happened.
	await script('anthropic', { status: 529, errorType: 'overloaded_error', errorMessage: 'Overloaded' });
	await script('openai', { chunks: ['Backup.'] });
	const { data: fellBack, response } = await openai.chat.completions
		.create({ model: 'anthropic/claude-sonnet-4-6', messages: hi })
		.withResponse();
	expect(fellBack.model).toMatch(/^openai\//);
	expect(fellBack.choices[0].message.content).toBe('Backup.');
	expect(response.headers.get('x-switchboard-fallback-from')).toBe('anthropic/claude-sonnet-4-6');

	// Refusals, each as the SDK's own error class.
	const wrongKey = { apiKey: 'sb_not-a-real-token-0000000000000000', maxRetries: 0 };
	expect(
		await failure(new OpenAI({ baseURL: `${app.origin}/v1`, ...wrongKey }).models.list())
	).toBeInstanceOf(OpenAI.AuthenticationError);
	expect(
		await failure(
			new Anthropic({ baseURL: app.origin, ...wrongKey }).messages.create({
				model: 'openai/gpt-4.1-mini',
				max_tokens: 5,
				messages: hi
			})
		)
	).toBeInstanceOf(Anthropic.AuthenticationError);
	const unknown = await failure(
		openai.chat.completions.create({ model: 'openai/gpt-4.1-mni', messages: hi })
	);
	expect(unknown).toBeInstanceOf(OpenAI.NotFoundError);
	expect(unknown.message).toContain('gpt-4.1-mini');
	expect(
		await failure(anthropic.messages.create({ model: 'openai/gpt-4.1-mni', max_tokens: 5, messages: hi }))
	).toBeInstanceOf(Anthropic.NotFoundError);
	const twoAnswers = await failure(
		openai.chat.completions.create({ model: 'openai/gpt-4.1-mini', messages: hi, n: 2 })
	);
	expect(twoAnswers).toBeInstanceOf(OpenAI.BadRequestError);
	expect((twoAnswers as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('n');

	// Every provider overloaded (the others switched off): 503 for OpenAI's clients, 529 for Anthropic's.
	for (const providerId of ['openai', 'ollama'])
		await trpcOk(app.origin, 'providers.update', { providerId, enabled: false }, { token });
	await script('anthropic', {
		status: 529,
		errorType: 'overloaded_error',
		errorMessage: 'Overloaded',
		times: 2
	});
	const overloaded = await failure(
		openai.chat.completions.create({ model: 'anthropic/claude-sonnet-4-6', messages: hi })
	);
	expect(overloaded).toBeInstanceOf(OpenAI.InternalServerError);
	expect((overloaded as InstanceType<typeof OpenAI.InternalServerError>).status).toBe(503);
	expect(
		await failure(
			anthropic.messages.create({ model: 'anthropic/claude-sonnet-4-6', max_tokens: 5, messages: hi })
		)
	).toBeInstanceOf(Anthropic.OverloadedError);

	// Over the per-minute limit: RateLimitError with retry-after, from both endpoints.
	const { defaults: _defaults, ...current } = await trpcOk<Record<string, unknown>>(
		app.origin,
		'settings.get',
		undefined,
		{ token },
		'query'
	);
	await trpcOk(app.origin, 'settings.update', { ...current, adminRequestsPerMinute: 1 }, { token });
	const limited = await failure(
		openai.chat.completions.create({ model: 'anthropic/claude-sonnet-4-6', messages: hi })
	);
	expect(limited).toBeInstanceOf(OpenAI.RateLimitError);
	const limitedHeaders = (limited as InstanceType<typeof OpenAI.RateLimitError>).headers;
	expect(Number(limitedHeaders?.get('retry-after'))).toBeGreaterThanOrEqual(1);
	const limitedToo = await failure(
		anthropic.messages.create({ model: 'anthropic/claude-sonnet-4-6', max_tokens: 5, messages: hi })
	);
	expect(limitedToo).toBeInstanceOf(Anthropic.RateLimitError);

	await app.stop();
});
