import { describe, expect, it } from 'vitest';
import { createSwitchboardClient, type SwitchboardClient } from '$lib/sdk/index';
import { configureAuth } from '$lib/server/auth/runtime';
import { createApiToken } from '../../helpers/auth-client';
import { useChatHarness } from '../../helpers/chat-harness';
import { countedStatements, countQueries, queriesSoFar } from '../../helpers/test-database';

/*
 * The hot path's statement budget (issue #11), counted over real HTTP as the SDK makes a turn: at
 * most 3 SQL statements before the first delta reaches the client, and none that grow with the
 * number of deltas. The partial flush (a write per interval, not per delta) is pushed out of these
 * answers' way so what is counted does not depend on how fast the machine is; the paced deltas
 * keep the answer running until the subscriber is there, as an answer from a real provider is.
 */
const harness = useChatHarness({ generation: { flushIntervalMs: 600_000 } });

async function sdkClient(): Promise<SwitchboardClient> {
	const token = await createApiToken(harness.app, harness.admin.user.id);
	return createSwitchboardClient({ url: harness.url, token });
}

/** One ask() in an existing chat: statements in all, and how many had run at the first delta. */
async function countedTurn(sb: SwitchboardClient, deltas: number) {
	// Last uses noted so far are written now, before this turn's requests note theirs: their batch's
	// timer (a minute) must not fire inside a count, which it can once a slow run of the file is that long.
	await harness.app.authRuntime.tokenUse.flush();
	const chat = await sb.chats.create.mutate({ providerId: 'openai', modelId: 'gpt-4o-mini' });
	harness.emulators.openai.script({ chunks: Array(deltas).fill('x '), paceMs: 100 });
	let beforeFirstDelta: number | null = null;
	let text = '';
	const total = await countQueries(async () => {
		for await (const event of sb.ask({ chatId: chat.id, content: 'count me' })) {
			if (event.type === 'delta') {
				text += event.text;
				beforeFirstDelta ??= queriesSoFar();
			}
		}
	});
	const statements = countedStatements();
	return { total, beforeFirstDelta, text, statements, before: statements.slice(0, beforeFirstDelta ?? 0) };
}

describe('statements per API turn', () => {
	it('are at most 3 before the first delta, and do not grow with the answer', async () => {
		const sb = await sdkClient();
		const short = await countedTurn(sb, 4);
		const long = await countedTurn(sb, 12);
		expect([short.text, long.text]).toEqual(['x '.repeat(4), 'x '.repeat(12)]);
		expect(short.beforeFirstDelta).not.toBeNull();
		expect(short.beforeFirstDelta).toBeLessThanOrEqual(3);
		expect(long.beforeFirstDelta).toBeLessThanOrEqual(3);
		expect(long.total).toBe(short.total);
		// The chat with its messages, then the turn's rows: the chat's update and the two messages at once.
		expect(short.before).toHaveLength(2);
		expect(short.before[0]).toMatch(/^select .* from "chats"/);
		expect(short.before[1]).toMatch(/^with "turn_chat" as \(update "chats" .*\) insert into "messages"/);
	});
});

describe('statements of a one-shot ask()', () => {
	it('are at most 3 before the first delta: the send writes the chat and its messages in one statement', async () => {
		const sb = await sdkClient();
		// Warm, as a running script is: the token and the provider settings come from memory.
		harness.emulators.openai.script({ chunks: ['warm'] });
		await sb.ask({ providerId: 'openai', modelId: 'gpt-4o-mini', content: 'warm up' }).result;
		await harness.app.authRuntime.tokenUse.flush();
		harness.emulators.openai.script({ chunks: ['x ', 'y'], paceMs: 100 });
		let beforeFirstDelta: number | null = null;
		let chatId = '';
		await countQueries(async () => {
			const run = sb.ask({
				providerId: 'openai',
				modelId: 'gpt-4o-mini',
				system: 'Be brief.',
				content: 'hi'
			});
			for await (const event of run) if (event.type === 'delta') beforeFirstDelta ??= queriesSoFar();
			chatId = (await run.result).chatId;
		});
		const before = countedStatements().slice(0, beforeFirstDelta ?? 0);
		expect(before).toHaveLength(1);
		expect(before[0]).toMatch(/^with "turn_chat" as \(insert into "chats" .*\) insert into "messages"/);
		const chat = await sb.chats.get.query({ chatId });
		expect(chat).toMatchObject({ title: 'hi', systemPrompt: 'Be brief.', providerId: 'openai' });
	});
});

describe("an API token's last use", () => {
	it('costs a turn no statement, even the first use in a minute: it is written later, in a batch', async () => {
		let now = new Date();
		configureAuth(harness.app, { now: () => now });
		const sb = await sdkClient();
		const first = await countedTurn(sb, 4);
		// Past the minute: this turn's requests note a new last use.
		now = new Date(now.getTime() + 120_000);
		const noted = await countedTurn(sb, 4);
		expect(noted.beforeFirstDelta).toBeLessThanOrEqual(3);
		// Neither turn writes the token row: the use is only noted, to be written in a batch.
		const writes = (t: { statements: string[] }) =>
			t.statements.filter((q) => /\bupdate\s+"?api_tokens"?\s/i.test(q));
		expect([writes(first), writes(noted)]).toEqual([[], []]);
		const [token] = await harness.app.database.db.query.apiTokens.findMany();
		expect(token.lastUsedAt?.getTime() ?? 0).toBeLessThan(now.getTime());
		// Listing the tokens (the account page) writes what was noted, in one statement.
		const listed = await harness.app.users.listTokens(harness.admin.user.id);
		expect(listed[0].lastUsedAt).toEqual(now);
	});
});
