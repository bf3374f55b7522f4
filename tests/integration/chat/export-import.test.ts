import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { describe, expect, it, vi } from 'vitest';
import sharp from 'sharp';
import { eq, sql } from 'drizzle-orm';
import { estimatedExportBytes, MAX_IMPORT_BYTES, MAX_IMPORT_CHATS } from '$lib/schemas/chat-export';
import { exportSize } from '$lib/server/db/repositories/chat-transfer-repository';
import { attachments } from '$lib/server/db/schema';
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
		messages: messages.map(({ id: _mid, chatId: _cid, parentId, attachments: files, ...m }) => ({
			...m,
			attachments: files.map(({ id: _aid, ...file }) => file),
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
		await expect(member.client.chats.import.mutate({ data: huge })).rejects.toThrow(/larger than 64 MB/);
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

const png = await sharp({ create: { width: 4, height: 3, channels: 3, background: '#3366ff' } })
	.png()
	.toBuffer();
const notes = '# Notes\n\nThe meeting moved to Tuesday.';

/** A chat whose first question carries a picture and a text file, answered. */
async function chatWithFiles(client: Client) {
	const upload = (name: string, bytes: Buffer | string) =>
		client.attachments.upload.mutate({ name, data: Buffer.from(bytes).toString('base64') });
	const image = await upload('blue.png', png);
	const text = await upload('notes.md', notes);
	const chat = await client.chats.create.mutate({ providerId: 'openai', modelId: 'gpt-4.1-mini' });
	const sent = await client.chats.send.mutate({
		chatId: chat.id,
		content: 'What is this?',
		attachmentIds: [image.id, text.id]
	});
	await collectStream(client, sent.assistantMessageId);
	return client.chats.get.query({ chatId: chat.id });
}

describe('attachments in export and import', () => {
	it('an image and a text file survive export, delete and import, bytes and all, for the importer only', async () => {
		const before = await chatWithFiles(h.client);
		const exported = await h.client.chats.export.query({ chatId: before.id });
		const file = JSON.parse(exported.content);
		expect(file.chats[0].messages[0].attachments).toEqual([
			{
				name: 'blue.png',
				kind: 'image',
				mediaType: 'image/png',
				byteSize: png.byteLength,
				width: 4,
				height: 3,
				data: png.toString('base64')
			},
			{
				name: 'notes.md',
				kind: 'text',
				mediaType: 'text/plain',
				byteSize: Buffer.byteLength(notes),
				width: null,
				height: null,
				data: Buffer.from(notes).toString('base64')
			}
		]);
		expect(file.chats[0].messages[1].attachments).toEqual([]);
		await h.client.chats.delete.mutate({ chatId: before.id });

		const imported = await h.client.chats.import.mutate({ data: exported.content });
		const after = await h.client.chats.get.query({ chatId: imported.chats[0].id });
		expect(withoutIds(after)).toEqual(withoutIds(before));
		const [image, text] = after.messages[0].attachments;
		expect([image.id, text.id]).not.toContain(before.messages[0].attachments[0].id);

		const get = (id: string, cookie: string) =>
			fetch(`${h.url}/api/attachments/${id}`, { headers: { cookie } });
		const own = await get(image.id, h.admin.cookie);
		expect(own.headers.get('content-type')).toBe('image/png');
		expect(Buffer.from(await own.arrayBuffer()).equals(png)).toBe(true);
		expect(await (await get(text.id, h.admin.cookie)).text()).toBe(notes);
		const other = await h.member();
		expect((await get(image.id, other.user.cookie)).status).toBe(404);
		expect((await get(text.id, other.user.cookie)).status).toBe(404);
	});

	it("another user's import stores the files as theirs", async () => {
		const exported = await h.client.chats.export.query({ chatId: (await chatWithFiles(h.client)).id });
		const member = await h.member();
		const imported = await member.client.chats.import.mutate({ data: exported.content });
		const chat = await member.client.chats.get.query({ chatId: imported.chats[0].id });
		const [image] = chat.messages[0].attachments;
		const rows = await h.app.database.db.select().from(attachments).where(eq(attachments.id, image.id));
		expect(rows.map((r) => r.userId)).toEqual([member.user.user.id]);
		const mine = await fetch(`${h.url}/api/attachments/${image.id}`, {
			headers: { cookie: member.user.cookie }
		});
		expect(Buffer.from(await mine.arrayBuffer()).equals(png)).toBe(true);
	});

	it('checks each file as an upload: a .png holding HTML is refused and nothing is written', async () => {
		const valid = JSON.parse(
			(await h.client.chats.export.query({ chatId: (await chatWithFiles(h.client)).id })).content
		);
		const member = await h.member();
		const attempt = (data: unknown) => member.client.chats.import.mutate({ data: JSON.stringify(data) });

		const html = structuredClone(valid);
		html.chats[0].messages[0].attachments[0].data = Buffer.from(
			'<html><body><script>alert(1)</script></body></html>'
		).toString('base64');
		await expect(attempt(html)).rejects.toMatchObject({
			data: { code: 'BAD_REQUEST' },
			message: expect.stringMatching(/chats\[0\]\.messages\[0\]\.attachments: “blue\.png” is not a PNG/)
		});

		// Over the per-message cap (8 by default).
		const many = structuredClone(valid);
		const text = many.chats[0].messages[0].attachments[1];
		many.chats[0].messages[0].attachments = Array.from({ length: 9 }, () => text);
		await expect(attempt(many)).rejects.toThrow(/at most 8 files/);

		// Files belong to the question, not to an answer.
		const onAnswer = structuredClone(valid);
		onAnswer.chats[0].messages[1].attachments = [text];
		await expect(attempt(onAnswer)).rejects.toThrow(/Only a user message carries attachments/);

		expect((await member.client.chats.list.query({})).items).toHaveLength(0);
		expect(
			await h.app.database.db.select().from(attachments).where(eq(attachments.userId, member.user.user.id))
		).toEqual([]);
	});

	it('takes kind, type and size from the bytes, not from the file', async () => {
		const valid = JSON.parse(
			(await h.client.chats.export.query({ chatId: (await chatWithFiles(h.client)).id })).content
		);
		const lying = structuredClone(valid);
		Object.assign(lying.chats[0].messages[0].attachments[1], {
			kind: 'image',
			mediaType: 'image/png',
			byteSize: 1,
			width: 9000,
			height: 9000
		});
		const imported = await h.client.chats.import.mutate({ data: JSON.stringify(lying) });
		const chat = await h.client.chats.get.query({ chatId: imported.chats[0].id });
		expect(chat.messages[0].attachments[1]).toMatchObject({
			name: 'notes.md',
			kind: 'text',
			mediaType: 'text/plain',
			byteSize: Buffer.byteLength(notes),
			width: null,
			height: null
		});
	});

	it('Markdown lists the attachment names under their message', async () => {
		const chat = await chatWithFiles(h.client);
		const markdown = await h.client.chats.export.query({ chatId: chat.id, format: 'markdown' });
		expect(markdown.content).toContain('What is this?\n\nAttachments:\n- blue.png\n- notes.md\n');
	});
});

/** A photo as large as an upload may be by default (10 MB): noise, so PNG cannot make it smaller. */
async function fullSizePhoto(): Promise<Buffer> {
	const side = 1800;
	return sharp(randomBytes(side * side * 3), { raw: { width: side, height: side, channels: 3 } })
		.png({ compressionLevel: 0 })
		.toBuffer();
}

/**
 * A POST to chats.import that announces `declared` bytes and sends the first megabyte of them, then
 * waits: the rest never comes.
 */
function partialImport(url: string, declared: number, cookie?: string) {
	const req = request(`${url}/api/trpc/chats.import?batch=1`, {
		method: 'POST',
		headers: {
			'content-type': 'application/json',
			'content-length': String(declared),
			origin: url,
			...(cookie ? { cookie } : {})
		}
	});
	req.write(`{"0":{"json":{"data":"${'x'.repeat(1024 * 1024)}`);
	return req;
}

/**
 * The status (and body) the server answers a partial import with while the rest has not come: a
 * server that read the body first would never answer, and the test would time out.
 */
function importWithoutBody(
	url: string,
	declared: number,
	cookie?: string
): Promise<{ status: number; body: string }> {
	return new Promise((resolve, reject) => {
		const req = partialImport(url, declared, cookie);
		let answered = false;
		req.on('response', (res) => {
			answered = true;
			let body = '';
			res.setEncoding('utf8');
			res.on('data', (chunk: string) => (body += chunk));
			res.on('end', () => {
				resolve({ status: res.statusCode!, body });
				req.destroy();
			});
		});
		// Once it has answered, the server may drop the connection the rest of the body was coming on.
		req.on('error', (error) => (answered ? undefined : reject(error)));
	});
}

/**
 * An import that announces 40 MB, sends one and waits: admitted, it keeps its place until `drop()`.
 * `refused` tells whether the server answered it instead (another import had the place).
 */
function heldImport(url: string, cookie: string) {
	const req = partialImport(url, 40 * 1024 * 1024, cookie);
	const held = { refused: false, drop: () => req.destroy() };
	req.on('error', () => {});
	req.on('response', () => (held.refused = true));
	return held;
}

/** The outcome of an import, as its code and message. */
const importOutcome = (client: Client, data: string) =>
	client.chats.import.mutate({ data }).then(
		() => 'imported',
		(error: { data?: { code?: string }; message: string }) => `${error.data?.code}: ${error.message}`
	);

/**
 * Holds an import of `client`'s person: held once a probe of theirs (a file that is not JSON, quick
 * to refuse) is told that an import of theirs is running. A probe that gets there first makes the
 * held one refused, and it is sent again.
 */
async function holdImport(url: string, cookie: string, client: Client) {
	for (;;) {
		const held = heldImport(url, cookie);
		while (!held.refused) {
			if ((await importOutcome(client, '{')).startsWith('TOO_MANY_REQUESTS')) return held;
			await new Promise((resolve) => setTimeout(resolve, 20));
		}
	}
}

describe('large exports', () => {
	it('a chat with a full-size photo (an export over the old 8 MB limit) is imported again', async () => {
		const photo = await fullSizePhoto();
		const upload = await h.client.attachments.upload.mutate({
			name: 'noise.png',
			data: photo.toString('base64')
		});
		const chat = await h.client.chats.create.mutate({ providerId: 'openai', modelId: 'gpt-4.1-mini' });
		const sent = await h.client.chats.send.mutate({
			chatId: chat.id,
			content: 'What is this?',
			attachmentIds: [upload.id]
		});
		await collectStream(h.client, sent.assistantMessageId);
		const before = await h.client.chats.get.query({ chatId: chat.id });
		const exported = await h.client.chats.export.query({ chatId: chat.id });
		const bytes = Buffer.byteLength(exported.content);
		expect(bytes).toBeGreaterThan(12 * 1024 * 1024);
		// What the size check before an export expects: a little over the file, never under.
		const estimate = estimatedExportBytes(await exportSize(h.app.database.db, h.admin.user.id, chat.id));
		expect(estimate).toBeGreaterThanOrEqual(bytes);
		expect(estimate).toBeLessThan(bytes * 1.05);
		expect(exported.importNote).toBeNull();
		const imported = await h.client.chats.import.mutate({ data: exported.content });
		const after = await h.client.chats.get.query({ chatId: imported.chats[0].id });
		expect(withoutIds(after)).toEqual(withoutIds(before));
		const stored = await fetch(`${h.url}/api/attachments/${after.messages[0].attachments[0].id}`, {
			headers: { cookie: h.admin.cookie }
		});
		expect(Buffer.from(await stored.arrayBuffer()).equals(photo)).toBe(true);
	});

	it('reads an import this large only from a signed-in caller, and refuses a larger one before reading it', async () => {
		// Past BODY_SIZE_LIMIT (24 MB): without a session, refused before the body is read.
		const anonymous = await importWithoutBody(h.url, 40 * 1024 * 1024);
		expect(anonymous.status).toBe(401);
		// Past what an import's body may be: refused from its length alone, signed in or not.
		const tooLarge = await importWithoutBody(h.url, 200 * 1024 * 1024, h.admin.cookie);
		expect(tooLarge.status).toBe(413);
		expect(JSON.parse(tooLarge.body).error.json.message).toBe('The request is too large: at most 128.1 MB.');
		// Any other call keeps BODY_SIZE_LIMIT.
		const send = await fetch(`${h.url}/api/trpc/chats.send?batch=1`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', origin: h.url, cookie: h.admin.cookie },
			body: JSON.stringify({
				0: { json: { chatId: crypto.randomUUID(), content: 'x'.repeat(30 * 1024 * 1024) } }
			})
		});
		expect(send.status).toBe(413);
	});

	it('an export that could not be imported again says so, and why', async () => {
		await h.app.database.db.execute(
			sql`insert into chats (user_id, title) select ${h.admin.user.id}, 'Chat ' || n from generate_series(1, ${MAX_IMPORT_CHATS + 1}) n`
		);
		const all = await h.client.chats.export.query({});
		expect(all.importNote).toBe(
			`This file holds ${MAX_IMPORT_CHATS + 1} chats, and an import takes at most ${MAX_IMPORT_CHATS}: export the chats one at a time to import them elsewhere.`
		);
		const markdown = await h.client.chats.export.query({ format: 'markdown' });
		expect(markdown.importNote).toBeNull();
	});

	it('runs one import per person and two on the server at once, refusing more before reading them', async () => {
		const { user: bob, client: bobClient } = await h.member();
		const { client: cyClient } = await h.member();
		const file = (await h.client.chats.export.query({ chatId: (await chatWithBranches(h.client)).id }))
			.content;
		const adasHeld = await holdImport(h.url, h.admin.cookie, h.client);
		expect(await importOutcome(h.client, file)).toBe(
			'TOO_MANY_REQUESTS: Your previous import or export is still running. Wait for it to finish.'
		);
		const bobsHeld = await holdImport(h.url, bob.cookie, bobClient);
		expect(await importOutcome(cyClient, file)).toBe(
			'TOO_MANY_REQUESTS: Other imports and exports are running on the server. Try again in a moment.'
		);
		// A client that leaves mid-body gives its place back.
		adasHeld.drop();
		bobsHeld.drop();
		await vi.waitFor(async () => expect(await importOutcome(cyClient, file)).toBe('imported'));
		expect(await importOutcome(h.client, file)).toBe('imported');
	});

	it('refuses an export too large to build before loading it, and lets a large one run alone', async () => {
		const chat = await chatWithBranches(h.client);
		const question = chat.messages.find((m) => m.role === 'user')!;
		// The estimate errs high on plain text too.
		const plain = Buffer.byteLength((await h.client.chats.export.query({ chatId: chat.id })).content);
		const size = await exportSize(h.app.database.db, h.admin.user.id, chat.id);
		expect(estimatedExportBytes(size)).toBeGreaterThanOrEqual(plain);
		// A file the database says is 200 MB (its bytes are a few: only the recorded size is counted).
		const claimFile = (byteSize: number) =>
			h.app.database.db.execute(sql`with blob as (
				insert into attachment_blobs (sha256, data, byte_size) values (${`sha-${byteSize}`}, '\\x00', 1) returning sha256)
				insert into attachments (user_id, message_id, sha256, kind, media_type, name, byte_size)
				select ${h.admin.user.id}, ${question.id}, sha256, 'image', 'image/png', 'big.png', ${byteSize} from blob`);
		await claimFile(200 * 1024 * 1024);
		const refused = await h.client.chats.export.query({ chatId: chat.id }).catch((error) => error);
		expect(refused.data.code).toBe('BAD_REQUEST');
		expect(refused.message).toMatch(
			/^This chat comes to about 266\.\d MB, more than one export holds \(128 MB\)\. An admin’s database backup keeps it/
		);
		// Markdown names the file without its bytes: made as always.
		expect((await h.client.chats.export.query({ chatId: chat.id, format: 'markdown' })).content).toContain(
			'big.png'
		);

		await h.app.database.db.execute(sql`delete from attachments where name = 'big.png'`);
		await claimFile(20 * 1024 * 1024);
		// Past 16 MB an export takes a place as an import does: not while an import of the same person runs.
		const held = await holdImport(h.url, h.admin.cookie, h.client);
		const busy = await h.client.chats.export.query({ chatId: chat.id }).catch((error) => error);
		expect(busy.message).toBe('Your previous import or export is still running. Wait for it to finish.');
		held.drop();
		await vi.waitFor(async () => {
			expect((await h.client.chats.export.query({ chatId: chat.id })).filename).toMatch(/\.json$/);
		});
	});
});
