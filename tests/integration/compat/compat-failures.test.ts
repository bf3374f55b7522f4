import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { useCompatHarness } from './compat-harness';

/*
 * Failures around the call rather than in the provider, through the official SDKs against the lean
 * route the built app answers /v1 with: a body past its limit, a client that hangs up before a
 * non-streamed answer is out, a database that refuses statements.
 */
const h = useCompatHarness();

const hi = [{ role: 'user' as const, content: 'Hi' }];
/** Past the compatible APIs' 8 MB body limit (MAX_BODY_BYTES). */
const tooLarge = 'x'.repeat(8 * 1024 * 1024 + 1024);

async function failure(promise: Promise<unknown>): Promise<unknown> {
	return promise.then(
		() => {
			throw new Error('expected the call to fail');
		},
		(error: unknown) => error
	);
}

async function usageRows() {
	const rows = await h.app.database.db.query.providerUsage.findMany();
	return rows.map((r) => ({ providerId: r.providerId, status: r.status, source: r.source }));
}

/**
 * The database refuses the statement that reads the caller's API token, as a full disk does
 * (SQLSTATE 53100): the table is put behind a view whose every read raises that error. (A token's
 * last use is written in batches off the request's path now, so no write precedes the answer.)
 */
async function refuseTokenStatements() {
	const db = h.app.database.db;
	await db.execute(
		sql.raw(`create or replace function test_disk_full() returns boolean language plpgsql as $$
		begin
			raise exception 'could not extend file: No space left on device' using errcode = 'disk_full';
		end $$`)
	);
	await db.execute(sql.raw('alter table api_tokens rename to api_tokens_kept'));
	await db.execute(sql.raw('create view api_tokens as select * from api_tokens_kept where test_disk_full()'));
}

afterEach(async () => {
	const db = h.app.database.db;
	await db.execute(
		sql.raw(`do $$ begin
			if to_regclass('api_tokens_kept') is not null then
				drop view api_tokens;
				alter table api_tokens_kept rename to api_tokens;
			end if;
		end $$`)
	);
	await db.execute(sql.raw('drop function if exists test_disk_full()'));
});

describe('a request body past the server limit', () => {
	it('is a 413 in the OpenAI error shape', async () => {
		const client = await h.openai();
		const error = await failure(
			client.chat.completions.create({
				model: 'gpt-4.1-mini',
				messages: [{ role: 'user', content: tooLarge }]
			})
		);
		expect(error).toBeInstanceOf(OpenAI.APIError);
		expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(413);
		expect((error as InstanceType<typeof OpenAI.APIError>).error).toMatchObject({
			type: 'invalid_request_error',
			code: 'request_too_large'
		});
		expect(h.emulators.openai.requests).toHaveLength(0);
	});

	it('is a 413 in the Anthropic error shape', async () => {
		const client = await h.anthropic();
		const error = await failure(
			client.messages.create({
				model: 'claude-sonnet-5-5',
				max_tokens: 10,
				messages: [{ role: 'user', content: tooLarge }]
			})
		);
		expect(error).toBeInstanceOf(Anthropic.APIError);
		expect((error as InstanceType<typeof Anthropic.APIError>).status).toBe(413);
		expect((error as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
			type: 'error',
			error: { type: 'request_too_large' }
		});
		expect(h.emulators.anthropic.requests).toHaveLength(0);
	});
});

describe('a client that hangs up before a non-streamed answer is out', () => {
	it('stops the provider call through /v1/chat/completions and records it as stopped', async () => {
		const client = await h.openai();
		h.emulators.openai.script({ chunks: ['a', 'b', 'c'], stallAfter: 1 });
		const controller = new AbortController();
		const call = failure(
			client.chat.completions.create(
				{ model: 'openai/gpt-4.1-mini', messages: hi },
				{ signal: controller.signal }
			)
		);
		await expect.poll(() => h.emulators.openai.requests.length).toBe(1);
		controller.abort();
		expect(await call).toBeInstanceOf(OpenAI.APIUserAbortError);
		await expect.poll(() => h.emulators.openai.requests[0].clientClosed).toBe(true);
		await expect.poll(usageRows).toEqual([{ providerId: 'openai', status: 'stopped', source: 'openai-api' }]);
	});

	it('stops the provider call through /v1/messages and records it as stopped', async () => {
		const client = await h.anthropic();
		h.emulators.anthropic.script({ chunks: ['a', 'b', 'c'], stallAfter: 1 });
		const controller = new AbortController();
		const call = failure(
			client.messages.create(
				{ model: 'anthropic/claude-sonnet-5-5', max_tokens: 10, messages: hi },
				{ signal: controller.signal }
			)
		);
		await expect.poll(() => h.emulators.anthropic.requests.length).toBe(1);
		controller.abort();
		expect(await call).toBeInstanceOf(Anthropic.APIUserAbortError);
		await expect.poll(() => h.emulators.anthropic.requests[0].clientClosed).toBe(true);
		await expect
			.poll(usageRows)
			.toEqual([{ providerId: 'anthropic', status: 'stopped', source: 'anthropic-api' }]);
	});
});

describe('a database that refuses statements (a full disk)', () => {
	it('is a 503 in the OpenAI error shape, naming neither the table nor the disk', async () => {
		const client = await h.openai();
		await refuseTokenStatements();
		const error = await failure(client.chat.completions.create({ model: 'gpt-4.1-mini', messages: hi }));
		expect(error).toBeInstanceOf(OpenAI.InternalServerError);
		expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(503);
		expect((error as InstanceType<typeof OpenAI.APIError>).error).toMatchObject({ type: 'server_error' });
		expect((error as Error).message).not.toMatch(/api_tokens|No space|disk_full/);
	});

	it('is a 503 in the Anthropic error shape', async () => {
		const client = await h.anthropic();
		await refuseTokenStatements();
		const error = await failure(
			client.messages.create({ model: 'claude-sonnet-5-5', max_tokens: 10, messages: hi })
		);
		expect(error).toBeInstanceOf(Anthropic.InternalServerError);
		expect((error as InstanceType<typeof Anthropic.APIError>).status).toBe(503);
		expect((error as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
			type: 'error',
			error: { type: 'api_error' }
		});
		expect((error as Error).message).not.toMatch(/api_tokens|No space|disk_full/);
	});
});
