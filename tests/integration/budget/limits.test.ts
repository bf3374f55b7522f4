import { describe, expect, it } from 'vitest';
import { errorOf } from '../../helpers/auth-client';
import { collectStream, useChatHarness } from '../../helpers/chat-harness';

/*
 * Concurrency and per-minute caps from Settings: per role, per user, applied at once (the change
 * is announced on the cluster bus, which every process, this one included, listens to).
 */
const h = useChatHarness();
const model = { providerId: 'openai', modelId: 'gpt-4o-mini' };
const noCaps = {
	memberMonthlyBudgetUsd: null,
	allowUnpricedForBudgeted: false,
	adminMaxConcurrent: null,
	adminRequestsPerMinute: null
};

describe('limits in settings', () => {
	it("a role's caps apply at once; a user's own caps win over the role's", async () => {
		const before = await h.client.settings.get.query();
		expect(before).toMatchObject({
			memberMaxConcurrent: null,
			defaults: { maxConcurrent: 3, perMinute: 60 }
		});
		await h.client.settings.update.mutate({ ...noCaps, memberMaxConcurrent: 1, memberRequestsPerMinute: 2 });
		const { user, client } = await h.member();
		const chat = await client.chats.create.mutate(model);

		h.emulators.openai.script({ chunks: ['slow ', 'answer'], paceMs: 400 });
		const first = await client.chats.send.mutate({ chatId: chat.id, content: 'one' });
		const busy = await errorOf(client.chats.send.mutate({ chatId: chat.id, content: 'two' }));
		expect(busy).toMatchObject({
			code: 'TOO_MANY_REQUESTS',
			message: expect.stringContaining('You already have 1 answers')
		});
		await collectStream(client, first.assistantMessageId);

		h.emulators.openai.script({ chunks: ['ok'] });
		const second = await client.chats.send.mutate({ chatId: chat.id, content: 'three' });
		await collectStream(client, second.assistantMessageId);
		const rate = await errorOf(client.chats.send.mutate({ chatId: chat.id, content: 'four' }));
		expect(rate).toMatchObject({
			code: 'TOO_MANY_REQUESTS',
			message: expect.stringContaining('Too many requests this minute')
		});

		// The admin's caps are the defaults still: the member's role caps do not touch them.
		const adminChat = await h.client.chats.create.mutate(model);
		h.emulators.openai.script({ chunks: ['slow ', 'answer'], paceMs: 400 });
		const a = await h.client.chats.send.mutate({ chatId: adminChat.id, content: 'one' });
		h.emulators.openai.script({ chunks: ['second'] });
		const b = await h.client.chats.send.mutate({ chatId: adminChat.id, content: 'two' });
		await Promise.all([
			collectStream(h.client, a.assistantMessageId),
			collectStream(h.client, b.assistantMessageId)
		]);

		// An override for this user lifts the role's per-minute cap at once.
		await h.client.users.setLimits.mutate({
			userId: user.user.id,
			monthlyBudgetUsd: null,
			maxConcurrent: null,
			requestsPerMinute: 10
		});
		h.emulators.openai.script({ chunks: ['allowed'] });
		const third = await client.chats.send.mutate({ chatId: chat.id, content: 'five' });
		expect((await collectStream(client, third.assistantMessageId)).at(-1)?.event.type).toBe('done');
		const listed = await h.client.users.list.query();
		expect(listed.find((u) => u.id === user.user.id)).toMatchObject({
			requestsPerMinute: 10,
			maxConcurrent: null
		});
	});

	it('a settings change announced by another process is read again', async () => {
		await h.client.settings.update.mutate({
			...noCaps,
			memberMaxConcurrent: 2,
			memberRequestsPerMinute: null
		});
		expect((await h.app.appSettings.get()).memberMaxConcurrent).toBe(2);
		// Another process wrote the row and announced it: this one drops its copy on the message.
		await h.app.database.db.execute(`update app_settings set member_max_concurrent = 7`);
		expect((await h.app.appSettings.get()).memberMaxConcurrent).toBe(2);
		await h.app.cluster.bus.publish({ type: 'settings' });
		expect((await h.app.appSettings.get()).memberMaxConcurrent).toBe(7);
	});

	it('refuses caps that are not whole numbers of at least 1, with field errors', async () => {
		const error = await errorOf(
			h.client.settings.update.mutate({ ...noCaps, memberMaxConcurrent: 0, memberRequestsPerMinute: 1.5 })
		);
		expect(error.code).toBe('BAD_REQUEST');
		const member = await h.member();
		const forbidden = await errorOf(
			member.client.settings.update.mutate({ ...noCaps, memberMaxConcurrent: 1, memberRequestsPerMinute: 1 })
		);
		expect(forbidden.code).toBe('FORBIDDEN');
	});
});
