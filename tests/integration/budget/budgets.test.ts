import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { createSwitchboardClient, SwitchboardError, toSwitchboardError } from '$lib/sdk/index';
import { createApiToken } from '../../helpers/auth-client';
import { useCompatHarness } from '../compat/compat-harness';

/*
 * Monthly budgets against the emulators, through every door: the SDK (typed error), the CLI (its
 * exit code for limits) and both compatible APIs (their own 429/403 shapes). Every answer here is
 * 1000 tokens in and 1000 out of gpt-4o-mini ($0.15 and $0.60 per million): $0.00075 a call.
 */
const h = useCompatHarness();
const bin = fileURLToPath(new URL('../../../bin/switchboard.mjs', import.meta.url));
const CALL_COST = 0.00075;
const model = { providerId: 'openai', modelId: 'gpt-4o-mini' };

function scriptAnswer(text = 'Budgeted answer') {
	h.emulators.openai.script({ chunks: [text], usage: { inputTokens: 1000, outputTokens: 1000 } });
}

/** A member with their own budget, and an API token of theirs (optionally with its own budget). */
async function budgetedMember(options: { userUsd?: number | null; tokenUsd?: number } = {}) {
	const { user } = await h.member();
	await h.client.users.setLimits.mutate({
		userId: user.user.id,
		monthlyBudgetUsd: options.userUsd === undefined ? 0.0001 : options.userUsd,
		maxConcurrent: null,
		requestsPerMinute: null
	});
	const token = await createApiToken(h.app, user.user.id, 'script', { monthlyBudgetUsd: options.tokenUsd });
	return { user, token, sb: createSwitchboardClient({ url: h.compatUrl, token }) };
}

function firstOfNextMonthUtc(): string {
	const now = new Date();
	return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString();
}

function chatRequests(): number {
	return h.emulators.openai.requests.filter((r) => r.path === '/v1/chat/completions').length;
}

async function refusal(promise: Promise<unknown>): Promise<SwitchboardError> {
	const error = await promise.then(
		() => null,
		(caught: unknown) => toSwitchboardError(caught)
	);
	expect(error).toBeInstanceOf(SwitchboardError);
	return error as SwitchboardError;
}

describe('a member with a $0.0001 monthly budget', () => {
	it('gets one answer, then a typed refusal naming spend, limit and reset, before any provider call', async () => {
		const { sb, user } = await budgetedMember();
		scriptAnswer();
		const first = await sb.ask({ content: 'one', ...model }).result;
		expect(first.text).toBe('Budgeted answer');
		expect(chatRequests()).toBe(1);

		const error = await refusal(sb.ask({ chatId: first.chatId, content: 'two' }).result);
		expect(error.code).toBe('TOO_MANY_REQUESTS');
		expect(error.httpStatus).toBe(429);
		expect(error.budget).toEqual({
			reason: 'over_budget',
			scope: 'user',
			spentUsd: CALL_COST,
			limitUsd: 0.0001,
			resetsAt: firstOfNextMonthUtc()
		});
		expect(error.message).toBe(
			`Your monthly budget is used up: $0.00075 spent of $0.0001. It resets on ${firstOfNextMonthUtc().slice(0, 10)} (UTC).`
		);
		// Refused before anything was written or asked: no provider call, no new message.
		expect(chatRequests()).toBe(1);
		const chat = await sb.chats.get.query({ chatId: first.chatId });
		expect(chat.messages).toHaveLength(2);

		// Completions are refused the same way.
		const completion = await refusal(
			sb.completions.create.mutate({ ...model, messages: [{ role: 'user', content: 'x' }] })
		);
		expect(completion.budget?.reason).toBe('over_budget');
		expect(chatRequests()).toBe(1);

		// Admins see it on the usage page's data: spend against the budget that applies.
		const { users } = await h.client.usage.budgets.query();
		expect(users.find((u) => u.userId === user.user.id)).toMatchObject({
			spentUsd: CALL_COST,
			limitUsd: 0.0001
		});
		// And the member sees their own.
		const own = await sb.usage.budget.query();
		expect(own.user).toMatchObject({
			limitUsd: 0.0001,
			spentUsd: CALL_COST,
			resetsAt: firstOfNextMonthUtc()
		});
	});

	it('the CLI exits with its code for limits and says when the budget resets', async () => {
		const { sb, token } = await budgetedMember();
		scriptAnswer();
		await sb.ask({ content: 'one', ...model }).result;
		const home = await mkdtemp(join(tmpdir(), 'switchboard-budget-'));
		try {
			const run = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
				const child = spawn(
					process.execPath,
					[bin, 'chat', '--provider', 'openai', '--model', 'gpt-4o-mini', 'two'],
					{
						env: {
							PATH: process.env.PATH ?? '',
							HOME: home,
							SWITCHBOARD_CONFIG: join(home, 'config.json'),
							NO_COLOR: '1',
							SWITCHBOARD_URL: h.compatUrl,
							SWITCHBOARD_TOKEN: token
						},
						stdio: ['ignore', 'ignore', 'pipe']
					}
				);
				let stderr = '';
				child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
				child.on('error', reject);
				child.on('close', (code) => resolve({ code, stderr }));
			});
			expect(run.code).toBe(4);
			expect(run.stderr).toContain(`resets on ${firstOfNextMonthUtc().slice(0, 10)}`);
			expect(chatRequests()).toBe(1);
		} finally {
			await rm(home, { recursive: true, force: true });
		}
	});

	it('the compatible APIs refuse with their own 429 shapes', async () => {
		const { sb, token } = await budgetedMember();
		scriptAnswer();
		await sb.ask({ content: 'one', ...model }).result;
		const openai = new OpenAI({ baseURL: `${h.compatUrl}/v1`, apiKey: token, maxRetries: 0 });
		const viaOpenAI = await openai.chat.completions
			.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'two' }] })
			.catch((e: unknown) => e);
		expect(viaOpenAI).toBeInstanceOf(OpenAI.RateLimitError);
		expect((viaOpenAI as InstanceType<typeof OpenAI.APIError>).error).toMatchObject({
			type: 'insufficient_quota',
			code: 'insufficient_quota',
			message: expect.stringContaining('resets on')
		});
		const anthropic = new Anthropic({ baseURL: h.compatUrl, apiKey: token, maxRetries: 0 });
		const viaAnthropic = await anthropic.messages
			.create({ model: 'gpt-4o-mini', max_tokens: 50, messages: [{ role: 'user', content: 'two' }] })
			.catch((e: unknown) => e);
		expect(viaAnthropic).toBeInstanceOf(Anthropic.RateLimitError);
		expect((viaAnthropic as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
			type: 'error',
			error: { type: 'rate_limit_error', message: expect.stringContaining('$0.00075 spent of $0.0001') }
		});
		expect(chatRequests()).toBe(1);
	});
});

describe('budgets', () => {
	it("a token's own budget refuses that token only; the owner's other credentials go on", async () => {
		const { token, sb, user } = await budgetedMember({ userUsd: null, tokenUsd: 0.0001 });
		scriptAnswer();
		await sb.ask({ content: 'one', ...model }).result;
		const error = await refusal(sb.ask({ content: 'two', ...model }).result);
		expect(error.budget).toMatchObject({ scope: 'token', spentUsd: CALL_COST, limitUsd: 0.0001 });
		expect(error.message).toContain("This API token's monthly budget is used up");
		expect(token).toMatch(/^sb_/);

		const other = createSwitchboardClient({
			url: h.compatUrl,
			token: await createApiToken(h.app, user.user.id)
		});
		scriptAnswer('still answered');
		expect((await other.ask({ content: 'three', ...model }).result).text).toBe('still answered');
		const own = await other.usage.budget.query();
		const ids = Object.fromEntries((await h.app.users.listTokens(user.user.id)).map((t) => [t.name, t.id]));
		expect(own.tokens).toEqual({ [ids.script]: CALL_COST, [ids['test token']]: CALL_COST });
		expect(own.user).toMatchObject({ limitUsd: null, spentUsd: 2 * CALL_COST });
	});

	it("the members' default applies to members without their own, never to admins; an override wins", async () => {
		await h.client.settings.update.mutate({
			memberMonthlyBudgetUsd: 0,
			allowUnpricedForBudgeted: false,
			memberMaxConcurrent: null,
			memberRequestsPerMinute: null,
			adminMaxConcurrent: null,
			adminRequestsPerMinute: null
		});
		const { user } = await h.member();
		const member = createSwitchboardClient({
			url: h.compatUrl,
			token: await createApiToken(h.app, user.user.id)
		});
		const error = await refusal(member.ask({ content: 'hi', ...model }).result);
		expect(error.budget).toMatchObject({ reason: 'over_budget', scope: 'user', spentUsd: 0, limitUsd: 0 });

		const admin = createSwitchboardClient({ url: h.compatUrl, token: await h.token() });
		scriptAnswer('admin answer');
		expect((await admin.ask({ content: 'hi', ...model }).result).text).toBe('admin answer');

		await h.client.users.setLimits.mutate({
			userId: user.user.id,
			monthlyBudgetUsd: 5,
			maxConcurrent: null,
			requestsPerMinute: null
		});
		scriptAnswer('member answer');
		expect((await member.ask({ content: 'hi', ...model }).result).text).toBe('member answer');
	});

	it('an unpriced model is refused for budgeted users unless admins allow it', async () => {
		await h.client.models.refresh.mutate({ providerId: 'ollama' });
		const [unpriced] = await h.client.models.list.query({ providerId: 'ollama' });
		expect(unpriced.inputPricePerMTok).toBeNull();
		const { sb } = await budgetedMember({ userUsd: 1 });
		const target = { providerId: 'ollama', modelId: unpriced.modelId };
		const error = await refusal(sb.ask({ content: 'hi', ...target }).result);
		expect(error.code).toBe('FORBIDDEN');
		expect(error.budget).toMatchObject({ reason: 'unpriced_model', scope: 'user', limitUsd: 1 });
		expect(h.emulators.ollama.requests.filter((r) => r.path === '/api/chat')).toHaveLength(0);

		const settings = await h.client.settings.get.query();
		await h.client.settings.update.mutate({
			...settings,
			memberMonthlyBudgetUsd: null,
			allowUnpricedForBudgeted: true
		});
		h.emulators.ollama.script({ chunks: ['free-ish'], usage: { inputTokens: 3, outputTokens: 1 } });
		expect((await sb.ask({ content: 'hi', ...target }).result).text).toBe('free-ish');
	});
});
