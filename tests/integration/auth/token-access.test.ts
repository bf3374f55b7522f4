import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import type { TokenCreateInput } from '$lib/schemas/tokens';
import { createSwitchboardClient, SwitchboardError } from '$lib/sdk/index';
import { configureAuth } from '$lib/server/auth/runtime';
import { createApiToken, createUser, createApiClient } from '../../helpers/auth-client';
import { useCompatHarness } from '../compat/compat-harness';

/*
 * Scoped, expiring API tokens through every door: the SDK (tRPC), /v1/chat/completions and
 * /v1/messages. Refusals name why; a model outside a token's allow-list is refused before any
 * provider call, alias or fallback notwithstanding.
 */
const h = useCompatHarness();
const hi = [{ role: 'user' as const, content: 'Hello' }];
const DAY = 86_400_000;

async function tokenWith(options: Omit<TokenCreateInput, 'name'>) {
	return createApiToken(h.app, h.admin.user.id, 'scoped', options);
}

const sdk = (token: string) => createSwitchboardClient({ url: h.url, token });
const providerCalls = () =>
	[h.emulators.openai, h.emulators.anthropic, h.emulators.ollama].flatMap((e) =>
		e.requests.filter((r) => r.method === 'POST')
	);

async function failure(promise: Promise<unknown>): Promise<unknown> {
	return promise.then(
		() => new Error('expected a refusal'),
		(error: unknown) => error
	);
}

describe('an expired token', () => {
	it('works until its expiry, then is refused with a message saying so, cached or not', async () => {
		let now = new Date();
		configureAuth(h.app, { now: () => now });
		const token = await tokenWith({ expires: '7' });
		const sb = sdk(token);
		// Read once, so the token's row sits in the auth cache when it expires.
		expect((await sb.auth.me.query())?.id).toBe(h.admin.user.id);

		now = new Date(now.getTime() + 7 * DAY + 1);
		const error = await failure(sb.complete({ providerId: 'openai', messages: hi }));
		expect(error).toBeInstanceOf(SwitchboardError);
		expect(error).toMatchObject({
			code: 'UNAUTHORIZED',
			tokenRefusal: 'expired',
			message: expect.stringMatching(/This API token expired at .+Create a new one/)
		});

		const openai = await h.openai({ apiKey: token });
		const viaOpenAI = await failure(
			openai.chat.completions.create({ model: 'openai/gpt-4.1-mini', messages: hi })
		);
		expect(viaOpenAI).toBeInstanceOf(OpenAI.AuthenticationError);
		expect((viaOpenAI as Error).message).toMatch(/expired/);
		const anthropic = await h.anthropic({ apiKey: token });
		const viaAnthropic = await failure(
			anthropic.messages.create({ model: 'openai/gpt-4.1-mini', max_tokens: 10, messages: hi })
		);
		expect(viaAnthropic).toBeInstanceOf(Anthropic.AuthenticationError);
		expect((viaAnthropic as Error).message).toMatch(/expired/);
		expect(providerCalls()).toHaveLength(0);
	});

	it('cannot be created with an expiry in the past', async () => {
		const user = await createUser(h.app);
		const browser = createApiClient(h.url, { cookie: user.cookie });
		const error = await failure(
			browser.trpc.auth.tokens.create.mutate({ name: 'old', expires: 'date', expiresAt: new Date(0) })
		);
		expect(error).toMatchObject({ data: { code: 'BAD_REQUEST', field: 'expiresAt' } });
	});
});

describe('a token outside its scope', () => {
	it('is refused by procedures and doors its scopes do not cover, naming the scope it needs', async () => {
		const token = await tokenWith({ scopes: ['read'] });
		const sb = sdk(token);
		expect(Array.isArray(await sb.models.list.query({}))).toBe(true);
		expect(await sb.usage.summary.query({ groupBy: 'provider' })).toBeDefined();

		const error = await failure(sb.complete({ providerId: 'openai', messages: hi }));
		expect(error).toMatchObject({
			code: 'FORBIDDEN',
			tokenRefusal: 'scope',
			message: expect.stringMatching(
				/scope \(read\) does not allow completions\.\w+: it needs the completions scope/
			)
		});
		await expect(sb.ask({ content: 'x', providerId: 'openai' }).result).rejects.toMatchObject({
			code: 'FORBIDDEN',
			tokenRefusal: 'scope'
		});

		const openai = await h.openai({ apiKey: token });
		const viaOpenAI = await failure(
			openai.chat.completions.create({ model: 'openai/gpt-4.1-mini', messages: hi })
		);
		expect(viaOpenAI).toBeInstanceOf(OpenAI.PermissionDeniedError);
		expect((viaOpenAI as Error).message).toMatch(/does not allow POST \/v1\/chat\/completions/);
		// Listing models is reading: allowed.
		expect((await openai.models.list()).data.length).toBeGreaterThan(0);
		expect(providerCalls()).toHaveLength(0);
	});

	it('a chat-only token chats but cannot run completions or change settings', async () => {
		const sb = sdk(await tokenWith({ scopes: ['chat'] }));
		h.emulators.openai.script({ chunks: ['ok'] });
		expect((await sb.ask({ content: 'x', providerId: 'openai', modelId: 'gpt-4.1-mini' }).result).text).toBe(
			'ok'
		);
		await expect(
			sb.aliases.set.mutate({ name: 'fast', providerId: 'openai', modelId: 'gpt-4.1-mini' })
		).rejects.toMatchObject({ data: { code: 'FORBIDDEN', tokenRefusal: 'scope' } });
	});

	it('tokens made before scopes existed keep full access', async () => {
		const sb = sdk(await createApiToken(h.app, h.admin.user.id));
		await sb.aliases.set.mutate({ name: 'fast', providerId: 'openai', modelId: 'gpt-4.1-mini' });
		expect(await sb.aliases.list.query()).toMatchObject([{ name: 'fast' }]);
	});
});

describe('a model outside the allow-list', () => {
	it('is refused before any provider call, named directly or through an alias', async () => {
		await h.client.aliases.set.mutate({
			name: 'smart',
			providerId: 'anthropic',
			modelId: 'claude-sonnet-5-5'
		});
		const token = await tokenWith({ allowedModels: ['openai/gpt-4.1-mini'] });
		const sb = sdk(token);
		for (const target of [
			{ providerId: 'anthropic', modelId: 'claude-sonnet-5-5' },
			{ modelId: 'smart' },
			// No model named: the default provider's default model, which is not on the list either.
			{}
		]) {
			const error = await failure(sb.complete({ ...target, messages: hi }));
			expect(error).toMatchObject({
				code: 'FORBIDDEN',
				tokenRefusal: 'model',
				field: 'modelId',
				message: expect.stringMatching(/may not use anthropic\/.+; it may use openai\/gpt-4\.1-mini/)
			});
		}
		const openai = await h.openai({ apiKey: token });
		const viaOpenAI = await failure(openai.chat.completions.create({ model: 'smart', messages: hi }));
		expect(viaOpenAI).toBeInstanceOf(OpenAI.PermissionDeniedError);
		const anthropic = await h.anthropic({ apiKey: token });
		const viaAnthropic = await failure(
			anthropic.messages.create({ model: 'anthropic/claude-sonnet-5-5', max_tokens: 10, messages: hi })
		);
		expect(viaAnthropic).toBeInstanceOf(Anthropic.PermissionDeniedError);
		expect(providerCalls()).toHaveLength(0);

		h.emulators.openai.script({ chunks: ['allowed'] });
		const answer = await sb.complete({ providerId: 'openai', modelId: 'gpt-4.1-mini', messages: hi });
		expect(answer).toMatchObject({ text: 'allowed', providerId: 'openai' });
	});

	it('an alias on the list allows where it points now, and follows it when repointed', async () => {
		await h.client.aliases.set.mutate({ name: 'fast', providerId: 'openai', modelId: 'gpt-4.1-mini' });
		const sb = sdk(await tokenWith({ allowedModels: ['fast'] }));
		expect(await sb.complete({ modelId: 'fast', messages: hi })).toMatchObject({ providerId: 'openai' });
		expect(await sb.complete({ providerId: 'openai', modelId: 'gpt-4.1-mini', messages: hi })).toMatchObject({
			providerId: 'openai'
		});
		await h.client.aliases.set.mutate({
			name: 'fast',
			providerId: 'anthropic',
			modelId: 'claude-sonnet-5-5'
		});
		expect(await sb.complete({ modelId: 'fast', messages: hi })).toMatchObject({ providerId: 'anthropic' });
		await expect(
			sb.complete({ providerId: 'openai', modelId: 'gpt-4.1-mini', messages: hi })
		).rejects.toMatchObject({ tokenRefusal: 'model' });
	});

	it('lists only what it may call, through the SDK and /v1/models', async () => {
		await h.client.aliases.set.mutate({ name: 'fast', providerId: 'openai', modelId: 'gpt-4.1-mini' });
		const token = await tokenWith({ allowedModels: ['fast', 'anthropic/claude-sonnet-5-5'] });
		const listed = (await sdk(token).models.list.query({})).map((m) => `${m.providerId}/${m.modelId}`);
		expect(listed.sort()).toEqual(['anthropic/claude-sonnet-5-5', 'openai/gpt-4.1-mini']);

		const openai = await h.openai({ apiKey: token });
		const ids = (await openai.models.list()).data.map((m) => m.id);
		expect(ids).toHaveLength(2);
		expect((await openai.models.retrieve(ids[0])).id).toBe(ids[0]);
		await expect(openai.models.retrieve('openai/gpt-4o')).rejects.toBeInstanceOf(OpenAI.NotFoundError);
		// An unrestricted token sees the whole catalog.
		const free = await h.openai({ apiKey: await createApiToken(h.app, h.admin.user.id) });
		expect((await free.models.list()).data.length).toBeGreaterThan(2);
	});

	it('cannot name a model or alias that does not exist, so a typo locks nothing out', async () => {
		const user = await createUser(h.app);
		const browser = createApiClient(h.url, { cookie: user.cookie });
		const error = await failure(
			browser.trpc.auth.tokens.create.mutate({
				name: 'typo',
				allowedModels: ['openai/gpt-4.1-mini', 'openai/gpt-4.1-mnii', 'fats']
			})
		);
		expect(error).toMatchObject({
			data: { code: 'BAD_REQUEST', field: 'allowedModels' },
			message: expect.stringMatching(/No model or alias is called openai\/gpt-4\.1-mnii, fats\./)
		});
		expect(await browser.trpc.auth.tokens.list.query()).toEqual([]);
	});

	it('fallback never reaches a model outside the list', async () => {
		const sb = sdk(await tokenWith({ allowedModels: ['openai/gpt-4.1-mini'] }));
		h.emulators.openai.script({ status: 503, errorType: 'server_error', persist: true });
		const error = await failure(sb.complete({ providerId: 'openai', modelId: 'gpt-4.1-mini', messages: hi }));
		expect(error).toMatchObject({ provider: { code: 'unavailable', provider: 'openai' } });
		expect(h.emulators.anthropic.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
		expect(h.emulators.ollama.requests.filter((r) => r.method === 'POST')).toHaveLength(0);

		// The same failure with an unrestricted token falls back, so the list is what stopped it.
		const free = sdk(await createApiToken(h.app, h.admin.user.id));
		const answer = await free.complete({ providerId: 'openai', modelId: 'gpt-4.1-mini', messages: hi });
		expect(answer.providerId).not.toBe('openai');
	});
});
