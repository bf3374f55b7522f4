import { afterEach, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { messages, providerUsage } from '$lib/server/db/schema';
import { collectStream, textOf, useChatHarness, type Harness } from '../../helpers/chat-harness';
import { waitFor } from '../../helpers/wait-for';

/**
 * Write failures are injected in the database itself, as a full disk would refuse them: triggers
 * that raise SQLSTATE 53100 (disk_full). A sequence counts the refusals, since it survives the
 * rollback of the transaction that the trigger fails.
 */
const faults = {
	/** The answer's final update (its status leaves `streaming`), refused the first `times` tries. */
	settleMessage: (times: number) => `
		create trigger test_fault before update on messages for each row
		when (new.status <> 'streaming') execute function test_refuse_write(${times})`,
	/** Every usage row. */
	insertUsage: () => `
		create trigger test_fault before insert on provider_usage for each row
		execute function test_refuse_write(1000000)`,
	/** New messages (a send). */
	insertMessage: () => `
		create trigger test_fault before insert on messages for each row
		execute function test_refuse_write(1000000)`
};

async function injectFault(h: Harness, trigger: string) {
	const db = h.app.database.db;
	await db.execute(sql.raw('create sequence if not exists test_refusals'));
	await db.execute(
		sql.raw(`create or replace function test_refuse_write() returns trigger language plpgsql as $$
		begin
			if nextval('test_refusals') <= tg_argv[0]::bigint then
				raise exception 'could not extend file: No space left on device' using errcode = 'disk_full';
			end if;
			return new;
		end $$`)
	);
	await db.execute(sql.raw(trigger));
}

async function clearFaults(h: Harness) {
	const db = h.app.database.db;
	await db.execute(sql.raw('drop trigger if exists test_fault on messages'));
	await db.execute(sql.raw('drop trigger if exists test_fault on provider_usage'));
	await db.execute(sql.raw('drop function if exists test_refuse_write()'));
	await db.execute(sql.raw('drop sequence if exists test_refusals'));
}

async function storedMessage(h: Harness, id: string) {
	const [row] = await h.app.database.db.select().from(messages).where(eq(messages.id, id));
	return row;
}

async function usageOf(h: Harness, messageId: string) {
	return h.app.database.db.select().from(providerUsage).where(eq(providerUsage.messageId, messageId));
}

async function send(h: Harness, content = 'Hello') {
	const chat = await h.client.chats.create.mutate({ providerId: 'openai', modelId: 'gpt-4.1-mini' });
	return h.client.chats.send.mutate({ chatId: chat.id, content });
}

const failureOf = (promise: Promise<unknown>) =>
	promise.then(
		() => {
			throw new Error('expected the call to fail');
		},
		(e: { message: string; data?: { code?: string; httpStatus?: number } }) => e
	);

describe('a failing final write', () => {
	const h = useChatHarness();
	afterEach(() => clearFaults(h));

	it('is retried: a transient failure still saves the answer and its usage, and the stream ends done', async () => {
		h.emulators.openai.script({ chunks: ['Saved ', 'on the third try.'] });
		await injectFault(h, faults.settleMessage(2));
		const sent = await send(h);
		const events = await collectStream(h.client, sent.assistantMessageId);
		expect(events.at(-1)?.event.type).toBe('done');
		expect(await storedMessage(h, sent.assistantMessageId)).toMatchObject({
			status: 'complete',
			content: 'Saved on the third try.'
		});
		expect((await usageOf(h, sent.assistantMessageId)).map((r) => r.status)).toEqual(['ok']);
	});

	it('that keeps failing ends the stream with an error and keeps what streamed as a failed answer', async () => {
		h.emulators.openai.script({ chunks: ['Kept ', 'despite the disk.'] });
		await injectFault(h, faults.insertUsage());
		const sent = await send(h);
		const events = await collectStream(h.client, sent.assistantMessageId);
		expect(textOf(events)).toBe('Kept despite the disk.');
		const end = events.at(-1)!.event;
		expect(end).toMatchObject({ type: 'error', error: { code: 'unavailable', providerId: 'openai' } });
		expect(end.type === 'error' && end.error.message).toMatch(/could not save/);
		expect(await storedMessage(h, sent.assistantMessageId)).toMatchObject({
			status: 'error',
			content: 'Kept despite the disk.',
			error: { code: 'unavailable' }
		});
		// Nothing runs any more: stop says so, and regenerate starts a new answer.
		expect(await h.client.chats.stop.mutate({ messageId: sent.assistantMessageId })).toEqual({
			stopped: false
		});
		await clearFaults(h);
		const again = await h.client.chats.regenerate.mutate({ messageId: sent.assistantMessageId });
		const retried = await collectStream(h.client, again.assistantMessageId);
		expect(retried.at(-1)?.event.type).toBe('done');
	});

	it('of a completion is a SERVICE_UNAVAILABLE, not a success without its usage row', async () => {
		await injectFault(h, faults.insertUsage());
		const failure = await failureOf(
			h.client.completions.create.mutate({ messages: [{ role: 'user', content: 'Hi' }] })
		);
		expect(failure.data).toMatchObject({ code: 'SERVICE_UNAVAILABLE', httpStatus: 503 });
		expect(failure.message).toMatch(/could not save/);
	});

	it('at send is a SERVICE_UNAVAILABLE naming the cause, never a 500', async () => {
		const chat = await h.client.chats.create.mutate({ providerId: 'openai', modelId: 'gpt-4.1-mini' });
		await injectFault(h, faults.insertMessage());
		const failure = await failureOf(h.client.chats.send.mutate({ chatId: chat.id, content: 'Hello' }));
		expect(failure.data).toMatchObject({ code: 'SERVICE_UNAVAILABLE', httpStatus: 503 });
		expect(failure.message).toMatch(/could not save/);
		expect(h.emulators.openai.requests).toHaveLength(0);
	});
});

describe('an answer the database will not settle', () => {
	// Logs are dropped at once, so later watchers read the database.
	const h = useChatHarness({ generation: { retainLogMs: 1 } });
	afterEach(() => clearFaults(h));

	async function strand() {
		h.emulators.openai.script({ chunks: ['Half ', 'an answer.'] });
		await injectFault(h, faults.settleMessage(1_000_000));
		const sent = await send(h);
		const id = sent.assistantMessageId;
		const events = await collectStream(h.client, id);
		expect(events.at(-1)?.event).toMatchObject({ type: 'error', error: { code: 'unavailable' } });
		await waitFor(() => !h.app.generations.isRunning(id) && !h.app.generations.logs.get(id), 10_000);
		expect((await storedMessage(h, id)).status).toBe('streaming');
		return id;
	}

	it('ends every watcher with an error, and stop and regenerate answer with a typed error', async () => {
		const id = await strand();
		const late = await collectStream(h.client, id);
		expect(late.map((e) => e.event.type).at(-1)).toBe('error');

		for (const call of [
			h.client.chats.stop.mutate({ messageId: id }),
			h.client.chats.regenerate.mutate({ messageId: id })
		]) {
			const failure = await failureOf(call);
			expect(failure.data).toMatchObject({ code: 'SERVICE_UNAVAILABLE', httpStatus: 503 });
			expect(failure.message).toMatch(/could not save/);
		}

		await clearFaults(h);
		const again = await h.client.chats.regenerate.mutate({ messageId: id });
		expect((await collectStream(h.client, again.assistantMessageId)).at(-1)?.event.type).toBe('done');
		expect(await storedMessage(h, id)).toMatchObject({ status: 'error', error: { code: 'unavailable' } });
	});

	it('stop settles it as stopped once the database takes writes again', async () => {
		const id = await strand();
		await clearFaults(h);
		expect(await h.client.chats.stop.mutate({ messageId: id })).toEqual({ stopped: true });
		expect(await storedMessage(h, id)).toMatchObject({ status: 'stopped', finishReason: 'aborted' });
		expect(await h.client.chats.stop.mutate({ messageId: id })).toEqual({ stopped: false });
	});
});
