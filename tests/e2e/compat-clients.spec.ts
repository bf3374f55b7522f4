import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { UsagePage } from './pages/usage-page';
import { memberContext } from './support/accounts';
import { call } from './support/api';
import { script } from './support/emulators';
import { appOrigin } from './support/env';
import { expect, shot, test } from './support/fixtures';

/*
 * The official OpenAI and Anthropic clients against the running built app (`npm start`), whose
 * Node server answers /v1 (and the SDK's tRPC calls) on its lean route ahead of SvelteKit: the SDKs' own stream helpers, any
 * client to any provider, the headers every response carries, and the calls on the usage page.
 */
test('the official SDKs stream from the built app, and their calls show on the usage page', async ({
	browser
}) => {
	const { context } = await memberContext(browser, 'compat');
	try {
		const page = await context.newPage();
		await page.goto('/');
		const { token } = await call<{ token: string }>(page.request, 'auth.tokens.create', { name: 'sdk' });

		// An OpenAI client talking to Claude, through its stream helper.
		await script('anthropic', {
			chunks: ['Hello ', 'from ', 'Claude.'],
			usage: { inputTokens: 1000, outputTokens: 500 }
		});
		const openai = new OpenAI({ baseURL: `${appOrigin}/v1`, apiKey: token, maxRetries: 0 });
		const stream = openai.chat.completions.stream({
			model: 'anthropic/claude-sonnet-4-6',
			messages: [{ role: 'user', content: 'Hi' }],
			stream_options: { include_usage: true }
		});
		const completion = await stream.finalChatCompletion();
		expect(completion.choices[0].message.content).toBe('Hello from Claude.');
		expect(completion.choices[0].finish_reason).toBe('stop');
		expect(completion.model).toBe('anthropic/claude-sonnet-4-6');
		expect(completion.usage).toMatchObject({ prompt_tokens: 1000, completion_tokens: 500 });

		// An Anthropic client talking to OpenAI, through its stream helper.
		await script('openai', {
			chunks: ['Hi ', 'from ', 'GPT.'],
			usage: { inputTokens: 200, outputTokens: 100 }
		});
		const anthropic = new Anthropic({ baseURL: appOrigin, apiKey: token, maxRetries: 0 });
		const message = await anthropic.messages
			.stream({
				model: 'openai/gpt-4.1-mini',
				max_tokens: 100,
				messages: [{ role: 'user', content: 'Hi' }]
			})
			.finalMessage();
		expect(message.content).toMatchObject([{ type: 'text', text: 'Hi from GPT.' }]);
		expect(message.stop_reason).toBe('end_turn');
		expect(message.usage).toMatchObject({ input_tokens: 200, output_tokens: 100 });

		// The lean route's responses carry what every response of the app carries.
		const models = await page.request.get('/v1/models', { headers: { authorization: `Bearer ${token}` } });
		expect(models.ok()).toBe(true);
		expect(models.headers()['x-content-type-options']).toBe('nosniff');
		expect(models.headers()['x-frame-options']).toBe('DENY');
		expect(models.headers()['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
		// So do the SDK's tRPC calls, which carry no cookie and take the same lean route.
		const me = await fetch(`${appOrigin}/api/trpc/auth.me`, {
			headers: { authorization: `Bearer ${token}` }
		});
		expect(me.status).toBe(200);
		expect(me.headers.get('x-content-type-options')).toBe('nosniff');
		expect(me.headers.get('referrer-policy')).toBe('same-origin');
		expect(me.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
		const unknown = await page.request.get('/v1/models/openai/gpt-4.1-mni', {
			headers: { authorization: `Bearer ${token}` }
		});
		expect(unknown.status()).toBe(404);
		expect((await unknown.json()).error.message).toContain('gpt-4.1-mini');

		// Both calls on the member's usage page, with the tokens the SDKs reported.
		const usage = new UsagePage(page);
		await usage.goto();
		await expect(usage.requests).toHaveText('2');
		await expect(usage.input).toHaveText('1.2K');
		await expect(usage.output).toHaveText('600');
		await expect(usage.table('Usage by provider')).toContainText('Anthropic');
		await expect(usage.table('Usage by provider')).toContainText('OpenAI');
		await shot(page, 'usage-compat-clients');
	} finally {
		await context.close();
	}
});
