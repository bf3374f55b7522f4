import { describe, expect, it } from 'vitest';
import { MAX_IMPORT_BYTES, MAX_IMPORT_CHATS } from '../../../src/lib/schemas/chat-export';
import { collectStream, useChatHarness, type Client } from '../../helpers/chat-harness';

const h = useChatHarness();

type Detail = Awaited<ReturnType<Client['chats']['get']['query']>>;

/** A chat without its ids: what must survive an export and an import unchanged. */
function withoutIds(chat: Detail) {
	const index = new Map(chat.messages.map((m, i) => [m.id, i]));
	const { id: _id, activeLeafId, messages, ...rest } = chat;
	return {
		...rest,
		activeLeaf: activeLeafId === null ? null : index.get(activeLeafId),
		messages: messages.map(({ id: _mid, chatId: _cid, parentId, ...m }) => ({
			...m,
			parent: parentId === null ? null : index.get(parentId)
		}))
	};
}

/** A chat with two branches: an edited second question, each answered, the first branch on screen. */
async function chatWithBranches(client: Client) {
	const chat = await client.chats.create.mutate({ providerId: 'openai', modelId: 'gpt-4.1-mini', topP: 0.9 });
	const first = await client.chats.send.mutate({ chatId: chat.id, content: 'one' });
	await collectStream(client, first.assistantMessageId);
	const second = await client.chats.send.mutate({ chatId: chat.id, content: 'two' });
	await collectStream(client, second.assistantMessageId);
	const edited = await client.chats.edit.mutate({ messageId: second.userMessageId, content: 'two, edited' });
	await collectStream(client, edited.assistantMessageId);
	await client.chats.selectBranch.mutate({ messageId: second.userMessageId });
	return client.chats.get.query({ chatId: chat.id });
}

describe('export and import', () => {
	it('a chat with branches survives export, delete and import unchanged, ids aside', async () => {
		const before = await chatWithBranches(h.client);
		const exported = await h.client.chats.export.query({ chatId: before.id });
		expect(exported.filename).toMatch(/\.json$/);
		await h.client.chats.delete.mutate({ chatId: before.id });

		const imported = await h.client.chats.import.mutate({ data: exported.content });
		expect(imported.chats).toHaveLength(1);
		expect(imported.messages).toBe(6);
		const after = await h.client.chats.get.query({ chatId: imported.chats[0].id });
		expect(after.id).not.toBe(before.id);
		expect(after.messages.map((m) => m.id)).not.toContain(before.messages[0].id);
		expect(withoutIds(after)).toEqual(withoutIds(before));
	});

	it("imported chats belong to the importer, whoever's file it was", async () => {
		const before = await chatWithBranches(h.client);
		const exported = await h.client.chats.export.query({});
		const member = await h.member();
		const imported = await member.client.chats.import.mutate({ data: exported.content });
		const mine = await member.client.chats.list.query({});
		expect(mine.items.map((c) => c.id)).toEqual(imported.chats.map((c) => c.id));
		// The original is untouched and still only the admin's.
		await expect(member.client.chats.get.query({ chatId: before.id })).rejects.toMatchObject({
			data: { code: 'NOT_FOUND' }
		});
	});

	it('exports Markdown of the branch on screen, with models and the number of versions', async () => {
		const chat = await chatWithBranches(h.client);
		const markdown = await h.client.chats.export.query({ chatId: chat.id, format: 'markdown' });
		expect(markdown.filename).toMatch(/\.md$/);
		expect(markdown.content).toContain('## You · version 1 of 2\n\ntwo\n');
		expect(markdown.content).toContain('## Assistant · openai/gpt-4.1-mini');
		expect(markdown.content).not.toContain('two, edited');
	});

	it('refuses malformed files with the reason and writes nothing', async () => {
		const valid = JSON.parse(
			(await h.client.chats.export.query({ chatId: (await chatWithBranches(h.client)).id })).content
		);
		const member = await h.member();
		const attempt = (data: string) => member.client.chats.import.mutate({ data });
		await expect(attempt('{not json')).rejects.toThrow(/not JSON/);
		await expect(attempt(JSON.stringify({ hello: 'world' }))).rejects.toThrow(/Not a Switchboard export/);

		const badRole = structuredClone(valid);
		badRole.chats[0].messages[1].role = 'robot';
		await expect(attempt(JSON.stringify(badRole))).rejects.toThrow(/chats\[0\]\.messages\[1\]\.role/);

		const dangling = structuredClone(valid);
		dangling.chats[0].messages[2].parentId = 'nowhere';
		await expect(attempt(JSON.stringify(dangling))).rejects.toThrow(/No message with this id/);

		const loop = structuredClone(valid);
		loop.chats[0].messages[0].parentId = loop.chats[0].messages[1].id;
		await expect(attempt(JSON.stringify(loop))).rejects.toThrow(/loop/);

		// All or nothing: a good chat next to a bad one is not imported either.
		const mixed = structuredClone(valid);
		mixed.chats.push({ ...structuredClone(valid.chats[0]), createdAt: 'yesterday' });
		await expect(attempt(JSON.stringify(mixed))).rejects.toMatchObject({ data: { code: 'BAD_REQUEST' } });

		expect((await member.client.chats.list.query({})).items).toHaveLength(0);
	});

	it('refuses oversized files and too many chats before reading them', async () => {
		const member = await h.member();
		const huge = 'x'.repeat(MAX_IMPORT_BYTES + 1);
		await expect(member.client.chats.import.mutate({ data: huge })).rejects.toThrow(/larger than 8 MB/);
		const many = {
			format: 'switchboard-chats',
			version: 1,
			exportedAt: new Date().toISOString(),
			chats: Array.from({ length: MAX_IMPORT_CHATS + 1 }, (_, i) => ({
				id: String(i),
				title: 't',
				titleLocked: false,
				providerId: null,
				modelId: null,
				systemPrompt: null,
				temperature: null,
				maxTokens: null,
				topP: null,
				stopSequences: null,
				seed: null,
				activeLeafId: null,
				createdAt: new Date().toISOString(),
				updatedAt: new Date().toISOString(),
				messages: []
			}))
		};
		await expect(member.client.chats.import.mutate({ data: JSON.stringify(many) })).rejects.toThrow(
			/At most 1000 chats/
		);
		expect((await member.client.chats.list.query({})).items).toHaveLength(0);
	});
});
