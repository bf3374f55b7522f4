import { describe, expect, it } from 'vitest';
import { eq, inArray, sql } from 'drizzle-orm';
import { messages } from '$lib/server/db/schema';
import { saveStreamingContents } from '$lib/server/db/repositories/message-repository';
import { collectStream, textOf, useChatHarness } from '../../helpers/chat-harness';
import { countedStatements, countQueries } from '../../helpers/test-database';
import { waitFor } from '../../helpers/wait-for';

/*
 * Crash safety while answers stream (API.md: a failed or stopped answer keeps what streamed): the text
 * so far of every running answer is written every flushIntervalMs, many answers per statement.
 */
const h = useChatHarness({ generation: { flushIntervalMs: 100 } });

const words = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag}${i} `);

async function stored(ids: string[]) {
	const rows = await h.app.database.db
		.select({ id: messages.id, status: messages.status, content: messages.content })
		.from(messages)
		.where(inArray(messages.id, ids));
	return new Map(rows.map((row) => [row.id, row]));
}

describe('partial saves', () => {
	it('write the text so far of answers streaming side by side, together, and the final text last', async () => {
		const chunks = words(40, 'w');
		h.emulators.openai.script({ chunks, paceMs: 25, times: 2 });
		const chats = await Promise.all(
			[0, 1].map(() => h.client.chats.create.mutate({ providerId: 'openai', modelId: 'gpt-4.1-mini' }))
		);
		const ids: string[] = [];
		const saves: string[] = [];
		const started = performance.now();
		let streamedMs = 0;
		await countQueries(async () => {
			for (const chat of chats) {
				const sent = await h.client.chats.send.mutate({ chatId: chat.id, content: 'Hello' });
				ids.push(sent.assistantMessageId);
			}
			// Mid-answer, both rows hold a part of their answer, and still say they are streaming.
			await waitFor(async () => {
				const rows = await stored(ids);
				return ids.every((id) => rows.get(id)!.status === 'streaming' && rows.get(id)!.content.length > 0);
			});
			const rows = await stored(ids);
			for (const id of ids) expect(chunks.join('')).toContain(rows.get(id)!.content);
			const streams = await Promise.all(ids.map((id) => collectStream(h.client, id)));
			for (const events of streams) expect(textOf(events)).toBe(chunks.join(''));
			streamedMs = performance.now() - started;
			saves.push(...countedStatements().filter((s) => s.includes('json_to_recordset')));
		});
		const final = await stored(ids);
		for (const id of ids)
			expect(final.get(id)).toMatchObject({ status: 'complete', content: chunks.join('') });
		// One statement a flush for both answers (a statement each would be twice as many).
		expect(saves.length).toBeGreaterThan(0);
		expect(saves.length).toBeLessThanOrEqual(Math.ceil(streamedMs / 100) + 1);
	});

	it("save many answers in one statement, leave ended answers' text alone, and keep any character", async () => {
		h.emulators.openai.script({ chunks: ['done'], times: 3 });
		const ids: string[] = [];
		for (let i = 0; i < 3; i++) {
			const chat = await h.client.chats.create.mutate({ providerId: 'openai', modelId: 'gpt-4.1-mini' });
			const sent = await h.client.chats.send.mutate({ chatId: chat.id, content: 'Hello' });
			await collectStream(h.client, sent.assistantMessageId);
			ids.push(sent.assistantMessageId);
		}
		const db = h.app.database.db;
		// Two answers made to look as if still streaming, as a crash would leave them; the third has ended.
		await db
			.update(messages)
			.set({ status: 'streaming' })
			.where(inArray(messages.id, ids.slice(0, 2)));
		const text = 'quotes " \' and \\ backslash, a newline\nand ✓ and 🙂, {"json": true}';
		await saveStreamingContents(db, [
			{ messageId: ids[0], content: text },
			{ messageId: ids[1], content: `${text} again` },
			{ messageId: ids[2], content: 'must not replace a final answer' }
		]);
		const rows = await stored(ids);
		expect(rows.get(ids[0])!.content).toBe(text);
		expect(rows.get(ids[1])!.content).toBe(`${text} again`);
		expect(rows.get(ids[2])).toMatchObject({ status: 'complete', content: 'done' });
		const [{ count }] = await db
			.select({ count: sql<number>`count(*)::int` })
			.from(messages)
			.where(eq(messages.content, text));
		expect(count).toBe(1);
	});
});
