import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { useCompatHarness } from './compat-harness';

/*
 * Every failure surfaces as the SDK's own error class, with each API's error shape and status, and
 * never a provider key. Four requests a minute per user, so the rate limit is reachable.
 */
const h = useCompatHarness({ generation: { requestsPerMinute: 4 } });

const hi = [{ role: 'user' as const, content: 'Hi' }];

async function failure(promise: Promise<unknown>): Promise<unknown> {
	return promise.then(
		() => {
			throw new Error('expected the call to fail');
		},
		(error: unknown) => error
	);
}

type OpenAIError = InstanceType<typeof OpenAI.APIError>;
type AnthropicError = InstanceType<typeof Anthropic.APIError>;

const providerKeys = /sk-test-openai|sk-ant-test/;

describe('OpenAI-compatible errors', () => {
	it('401 AuthenticationError for a wrong token, in the OpenAI error shape', async () => {
		const client = await h.openai({ apiKey: 'sb_not-a-real-token' });
		const error = await failure(client.chat.completions.create({ model: 'gpt-4.1-mini', messages: hi }));
		expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
		expect((error as OpenAIError).error).toMatchObject({ type: 'authentication_error' });
	});

	it('404 NotFoundError for an unknown model, naming close matches', async () => {
		const client = await h.openai();
		const error = await failure(client.chat.completions.create({ model: 'gpt-4.1-mni', messages: hi }));
		expect(error).toBeInstanceOf(OpenAI.NotFoundError);
		expect((error as OpenAIError).message).toContain('gpt-4.1-mini');
		expect((error as OpenAIError).code).toBe('model_not_found');
		expect((error as OpenAIError).param).toBe('model');
	});

	it('400 BadRequestError naming the field: n > 1, a temperature out of range, an image URL to fetch', async () => {
		const client = await h.openai();
		const n = await failure(client.chat.completions.create({ model: 'gpt-4.1-mini', messages: hi, n: 2 }));
		expect(n).toBeInstanceOf(OpenAI.BadRequestError);
		expect((n as OpenAIError).param).toBe('n');
		const temperature = await failure(
			client.chat.completions.create({ model: 'gpt-4.1-mini', messages: hi, temperature: 3 })
		);
		expect((temperature as OpenAIError).param).toBe('temperature');
		const image = await failure(
			client.chat.completions.create({
				model: 'gpt-4.1-mini',
				messages: [
					{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://x.test/a.png' } }] }
				]
			})
		);
		expect(image).toBeInstanceOf(OpenAI.BadRequestError);
		expect((image as OpenAIError).param).toBe('messages[0].content[0].image_url.url');
		expect(h.emulators.openai.requests.filter((r) => r.path === '/v1/chat/completions')).toHaveLength(0);
	});

	it('413 for a message over the size limit', async () => {
		const client = await h.openai();
		const error = await failure(
			client.chat.completions.create({
				model: 'gpt-4.1-mini',
				messages: [{ role: 'user', content: 'x'.repeat(300 * 1024) }]
			})
		);
		expect(error).toBeInstanceOf(OpenAI.APIError);
		expect((error as OpenAIError).status).toBe(413);
		expect((error as OpenAIError).param).toBe('messages[0].content');
	});

	it('429 RateLimitError with retry-after once the per-user limit is reached', async () => {
		const client = await h.openai();
		for (let i = 0; i < 4; i++) await client.chat.completions.create({ model: 'gpt-4.1-mini', messages: hi });
		const error = await failure(client.chat.completions.create({ model: 'gpt-4.1-mini', messages: hi }));
		expect(error).toBeInstanceOf(OpenAI.RateLimitError);
		expect(Number((error as OpenAIError).headers?.get('retry-after'))).toBeGreaterThanOrEqual(1);
	});

	it('503 when the only provider is overloaded, 502 when it refuses our key, without the key', async () => {
		await h.client.providers.update.mutate({ providerId: 'openai', enabled: false });
		h.app.providers.invalidate();
		const client = await h.openai();
		h.emulators.anthropic.script({ status: 529, errorType: 'overloaded_error', errorMessage: 'Overloaded' });
		const overloaded = await failure(
			client.chat.completions.create({ model: 'claude-sonnet-5-5', messages: hi })
		);
		expect(overloaded).toBeInstanceOf(OpenAI.InternalServerError);
		expect((overloaded as OpenAIError).status).toBe(503);

		h.emulators.anthropic.script({
			status: 401,
			errorType: 'authentication_error',
			errorMessage: 'invalid x-api-key sk-ant-test-000000000000002'
		});
		const upstream = await failure(
			client.chat.completions.create({ model: 'claude-sonnet-5-5', messages: hi })
		);
		expect((upstream as OpenAIError).status).toBe(502);
		expect((upstream as OpenAIError).message).not.toMatch(providerKeys);
	});
});

describe('Anthropic-compatible errors', () => {
	it('401 AuthenticationError without a valid x-api-key, in the Anthropic error shape', async () => {
		const client = await h.anthropic({ apiKey: 'sb_wrong' });
		const error = await failure(
			client.messages.create({ model: 'claude-sonnet-5-5', messages: hi, max_tokens: 5 })
		);
		expect(error).toBeInstanceOf(Anthropic.AuthenticationError);
		expect((error as AnthropicError).error).toMatchObject({
			type: 'error',
			error: { type: 'authentication_error' }
		});
	});

	it('404 NotFoundError with close matches; 400 naming the field; 413 ContentTooLargeError', async () => {
		const client = await h.anthropic();
		const missing = await failure(
			client.messages.create({ model: 'claude-sonet-5-5', messages: hi, max_tokens: 5 })
		);
		expect(missing).toBeInstanceOf(Anthropic.NotFoundError);
		expect((missing as AnthropicError).message).toContain('claude-sonnet-5-5');

		// SDK 1.x types leave out temperature; the body still carries it.
		const hot: Anthropic.MessageCreateParamsNonStreaming & { temperature: number } = {
			model: 'claude-sonnet-5-5',
			messages: hi,
			max_tokens: 5,
			temperature: 1.5
		};
		const invalid = await failure(client.messages.create(hot));
		expect(invalid).toBeInstanceOf(Anthropic.BadRequestError);
		expect((invalid as AnthropicError).message).toContain('temperature');

		const large = await failure(
			client.messages.create({
				model: 'claude-sonnet-5-5',
				messages: [{ role: 'user', content: 'x'.repeat(300 * 1024) }],
				max_tokens: 5
			})
		);
		expect(large).toBeInstanceOf(Anthropic.ContentTooLargeError);
	});

	it('429 RateLimitError with retry-after', async () => {
		const client = await h.anthropic();
		const ask = () => client.messages.create({ model: 'gpt-4.1-mini', messages: hi, max_tokens: 5 });
		for (let i = 0; i < 4; i++) await ask();
		const error = await failure(ask());
		expect(error).toBeInstanceOf(Anthropic.RateLimitError);
		expect(Number((error as AnthropicError).headers?.get('retry-after'))).toBeGreaterThanOrEqual(1);
	});

	it('529 OverloadedError when every provider is overloaded, and no key in any message', async () => {
		await h.client.providers.update.mutate({ providerId: 'openai', enabled: false });
		h.app.providers.invalidate();
		const client = await h.anthropic();
		h.emulators.anthropic.script({ status: 529, errorType: 'overloaded_error', errorMessage: 'Overloaded' });
		const error = await failure(
			client.messages.create({ model: 'claude-sonnet-5-5', messages: hi, max_tokens: 5 })
		);
		expect(error).toBeInstanceOf(Anthropic.OverloadedError);
		expect((error as AnthropicError).message).not.toMatch(providerKeys);
	});
});
