import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { newClientId } from '$lib/schemas/ids';
import { chats, messages } from '$lib/server/db/schema';
import { errorOf } from '../../helpers/auth-client';
import { collectStream, textOf, useChatHarness, watchBeforeStart } from '../../helpers/chat-harness';

// Short enough that the "nothing came" cases end quickly; the failure case must end well before it.
const h = useChatHarness({ generation: { awaitStartMs: 1_000 } });

async function newChat() {
	return h.client.chats.create.mutate({ providerId: 'openai', modelId: 'gpt-4.1-mini' });
}

/** A waiting subscription the server holds before any send. */
const watchBeforeSend = (client: typeof h.client, messageId: string) =>
	watchBeforeStart(h.app, client, messageId);

describe("the user's message is saved before any provider is called", () => {
	const chatCalls = () => h.emulators.openai.requests.filter((r) => r.path.endsWith('/chat/completions'));

	it('no request leaves while the turn waits for the database; it leaves once the turn is saved', async () => {
		h.emulators.openai.script({ chunks: ['Saved ', 'first.'] });
		const chat = await newChat();
		const before = chatCalls().length;
		// Another transaction holds the chat's row: the turn's write waits for it (on Postgres; PGlite's
		// one connection makes the whole send wait, which holds the call all the same).
		let release = () => {};
		const held = new Promise<void>((resolve) => (release = resolve));
		let locked = () => {};
		const isLocked = new Promise<void>((resolve) => (locked = resolve));
		const holding = h.app.database.db.transaction(async (tx) => {
			await tx.select().from(chats).where(eq(chats.id, chat.id)).for('update');
			locked();
			await held;
		});
		await isLocked;
		const assistantMessageId = newClientId();
		const sending = h.client.chats.send.mutate({ chatId: chat.id, content: 'Hi', assistantMessageId });
		try {
			await new Promise((resolve) => setTimeout(resolve, 250));
			expect(chatCalls()).toHaveLength(before);
		} finally {
			release();
			await holding;
		}
		await sending;
		const outcome = await h.app.generations.outcome(assistantMessageId);
		expect(outcome).toMatchObject({ status: 'complete', text: 'Saved first.' });
		expect(chatCalls()).toHaveLength(before + 1);
	});
});

describe('one round trip: the stream opens in parallel with the send', () => {
	it('streams an answer whose send arrives after its subscription, under the ids the client chose', async () => {
		h.emulators.openai.script({ chunks: ['One ', 'round ', 'trip.'] });
		const chat = await newChat();
		const ids = { userMessageId: newClientId(), assistantMessageId: newClientId() };
		const { watching } = await watchBeforeSend(h.client, ids.assistantMessageId);
		const sent = await h.client.chats.send.mutate({ chatId: chat.id, content: 'Hi', ...ids });
		expect(sent).toEqual({ chatId: chat.id, ...ids });
		const events = await watching;
		expect(events.map((e) => e.event.type)).toEqual(['start', 'delta', 'delta', 'delta', 'done']);
		expect(textOf(events)).toBe('One round trip.');
		const stored = await h.app.chats.get(h.admin.user.id, chat.id);
		expect(stored.messages.map((m) => [m.id, m.role, m.parentId])).toEqual([
			[ids.userMessageId, 'user', null],
			[ids.assistantMessageId, 'assistant', ids.userMessageId]
		]);
		expect(stored.messages[1]).toMatchObject({ status: 'complete', content: 'One round trip.' });
		expect(h.app.starts.waiting).toBe(0);
	});

	it('a waiting subscription opened after the send (or reconnecting) streams at once', async () => {
		h.emulators.openai.script({ chunks: ['Already ', 'going.'] });
		const chat = await newChat();
		const assistantMessageId = newClientId();
		await h.client.chats.send.mutate({ chatId: chat.id, content: 'Hi', assistantMessageId });
		await h.app.generations.outcome(assistantMessageId);
		const events = await collectStream(h.client, assistantMessageId, { awaitStart: true });
		expect(textOf(events)).toBe('Already going.');
		expect(events.at(-1)?.event.type).toBe('done');
	});

	it("another user's id, sent meanwhile, waits and ends exactly like an id that never existed", async () => {
		h.emulators.openai.script({ chunks: Array(20).fill('secret '), paceMs: 20 });
		const chat = await newChat();
		const { client: other } = await h.member();
		const assistantMessageId = newClientId();
		const { watching: snooping } = await watchBeforeSend(other, assistantMessageId);
		const { watching: missing } = await watchBeforeSend(other, newClientId());
		await h.client.chats.send.mutate({ chatId: chat.id, content: 'Hi', assistantMessageId });
		const [snooped, nothing] = await Promise.all([errorOf(snooping), errorOf(missing)]);
		expect(snooped).toEqual(nothing);
		expect(snooped).toMatchObject({ code: 'NOT_FOUND', message: 'That message does not exist.' });
		// Once it exists (streaming or not), a waiting subscription of another user still learns nothing.
		expect(await errorOf(collectStream(other, assistantMessageId, { awaitStart: true }))).toEqual(nothing);
		await h.app.generations.outcome(assistantMessageId);
		expect(await errorOf(collectStream(other, assistantMessageId, { awaitStart: true }))).toEqual(nothing);
		expect(h.app.starts.waiting).toBe(0);
	});

	it('refuses an id already used (its own or another user’s) and leaves the first message as it was', async () => {
		h.emulators.openai.script({ chunks: ['First.'] }, { chunks: ['Other.'] });
		const chat = await newChat();
		const assistantMessageId = newClientId();
		await h.client.chats.send.mutate({ chatId: chat.id, content: 'Hi', assistantMessageId });
		await h.app.generations.outcome(assistantMessageId);

		const again = await errorOf(
			h.client.chats.send.mutate({ chatId: chat.id, content: 'Again', assistantMessageId })
		);
		expect(again).toMatchObject({
			code: 'CONFLICT',
			message: 'That message id is already used. Pick a new one.'
		});

		const { client: other } = await h.member();
		const theirs = await other.chats.create.mutate({ providerId: 'openai', modelId: 'gpt-4.1-mini' });
		const { watching: waiting } = await watchBeforeSend(other, assistantMessageId);
		const stolen = await errorOf(
			other.chats.send.mutate({ chatId: theirs.id, content: 'Mine?', assistantMessageId })
		);
		expect(stolen.code).toBe('CONFLICT');
		// The other user's waiting subscription hears its own send's failure, never the first answer.
		expect(await errorOf(waiting)).toEqual(stolen);
		const asQuestion = await errorOf(
			other.chats.send.mutate({ chatId: theirs.id, content: 'Mine?', userMessageId: assistantMessageId })
		);
		expect(asQuestion.code).toBe('CONFLICT');

		const [row] = await h.app.database.db.select().from(messages).where(eq(messages.id, assistantMessageId));
		expect(row).toMatchObject({ chatId: chat.id, role: 'assistant', content: 'First.', status: 'complete' });
		// A refused turn never reaches the provider.
		expect(h.emulators.openai.requests.filter((r) => r.path.endsWith('/chat/completions'))).toHaveLength(1);
		expect(await h.app.database.db.select().from(messages).where(eq(messages.chatId, theirs.id))).toEqual([]);
	});

	it('a send that fails ends its waiting subscription with the same error, without waiting it out', async () => {
		const assistantMessageId = newClientId();
		const { watching } = await watchBeforeSend(h.client, assistantMessageId);
		const refused = await errorOf(
			h.client.chats.send.mutate({ chatId: randomUUID(), content: 'Hi', assistantMessageId })
		);
		expect(refused).toMatchObject({ code: 'NOT_FOUND', message: 'That chat does not exist.' });
		// The wait's own end would say "That message does not exist.": this is the send's error.
		expect(await errorOf(watching)).toMatchObject({
			code: 'NOT_FOUND',
			message: 'That chat does not exist.'
		});
		expect(h.app.starts.waiting).toBe(0);
	});

	it('a send refused by the limits tells its waiting subscription why', async () => {
		h.emulators.openai.script(...Array(3).fill({ chunks: Array(50).fill('x '), paceMs: 20 }));
		const chat = await newChat();
		for (let i = 0; i < 3; i++) await h.client.chats.send.mutate({ chatId: chat.id, content: `Q${i}` });
		const assistantMessageId = newClientId();
		const { watching } = await watchBeforeSend(h.client, assistantMessageId);
		const refused = await errorOf(
			h.client.chats.send.mutate({ chatId: chat.id, content: 'One more', assistantMessageId })
		);
		expect(refused.code).toBe('TOO_MANY_REQUESTS');
		expect(await errorOf(watching)).toMatchObject({ code: 'TOO_MANY_REQUESTS', message: refused.message });
	});

	it('accepts only UUIDv7 ids, and two different ones', async () => {
		const chat = await newChat();
		const v4 = await errorOf(
			h.client.chats.send.mutate({ chatId: chat.id, content: 'Hi', assistantMessageId: randomUUID() })
		);
		expect(v4.code).toBe('BAD_REQUEST');
		const same = newClientId();
		const twice = await errorOf(
			h.client.chats.send.mutate({
				chatId: chat.id,
				content: 'Hi',
				userMessageId: same,
				assistantMessageId: same
			})
		);
		expect(twice).toMatchObject({ code: 'BAD_REQUEST' });
	});
});

describe('a send into a new chat (newChat)', () => {
	it('creates the chat with its settings in the turn itself, titled from the question', async () => {
		h.emulators.openai.script({ chunks: ['Made ', 'and answered.'] });
		const chatId = newClientId();
		const assistantMessageId = newClientId();
		const sent = await h.client.chats.send.mutate({
			chatId,
			content: 'Start a chat for me',
			modelId: 'gpt-4.1-mini',
			providerId: 'openai',
			assistantMessageId,
			newChat: { systemPrompt: 'Be brief.', temperature: 0.3 }
		});
		expect(sent).toMatchObject({ chatId, assistantMessageId });
		expect(textOf(await collectStream(h.client, assistantMessageId))).toBe('Made and answered.');
		const chat = await h.client.chats.get.query({ chatId });
		expect(chat).toMatchObject({
			id: chatId,
			title: 'Start a chat for me',
			systemPrompt: 'Be brief.',
			temperature: 0.3,
			providerId: 'openai',
			modelId: 'gpt-4.1-mini',
			activeLeafId: assistantMessageId
		});
		expect(h.emulators.openai.requests.at(-1)?.body).toMatchObject({
			messages: [{ role: 'system', content: 'Be brief.' }, expect.anything()]
		});
	});

	it('leaves no chat behind when refused, and refuses an id in use or not a UUIDv7', async () => {
		const chatId = newClientId();
		const unknown = await errorOf(
			h.client.chats.send.mutate({ chatId, content: 'Hi', modelId: 'no-such-model', newChat: {} })
		);
		expect(unknown.code).toBe('BAD_REQUEST');
		expect((await h.client.chats.list.query({})).items).toEqual([]);

		const existing = await newChat();
		const taken = await errorOf(
			h.client.chats.send.mutate({ chatId: existing.id, content: 'Hi', newChat: {} })
		);
		expect(taken.code).toBe('BAD_REQUEST');
		const { client: other } = await h.member();
		h.emulators.openai.script({ chunks: ['Mine.'] });
		const mine = newClientId();
		await other.chats.send.mutate({ chatId: mine, content: 'Mine', providerId: 'openai', newChat: {} });
		const stolen = await errorOf(
			h.client.chats.send.mutate({ chatId: mine, content: 'Mine?', providerId: 'openai', newChat: {} })
		);
		expect(stolen).toMatchObject({
			code: 'CONFLICT',
			message: 'That chat id is already used. Pick a new one.'
		});
		expect((await other.chats.get.query({ chatId: mine })).title).toBe('Mine');
	});
});
