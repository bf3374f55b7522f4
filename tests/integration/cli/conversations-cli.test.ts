import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { MAX_IMPORT_CHATS } from '$lib/schemas/chat-export';
import { createSwitchboardClient, MAX_IMPORT_BYTES, SwitchboardError } from '$lib/sdk/index';
import { createApiToken } from '../../helpers/auth-client';
import { useChatHarness } from '../../helpers/chat-harness';

/* Branches, export and import through the SDK (in process) and the CLI (a child process). */
const harness = useChatHarness();
const bin = fileURLToPath(new URL('../../../bin/switchboard.mjs', import.meta.url));

let home: string;
let token: string;
beforeEach(async () => {
	home = await mkdtemp(join(tmpdir(), 'switchboard-cli-'));
	token = await createApiToken(harness.app, harness.admin.user.id);
});
afterEach(async () => {
	await rm(home, { recursive: true, force: true });
});

function cli(args: string[], stdin = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
	const env = {
		PATH: process.env.PATH ?? '',
		HOME: home,
		SWITCHBOARD_CONFIG: join(home, 'config.json'),
		NO_COLOR: '1',
		SWITCHBOARD_URL: harness.url,
		SWITCHBOARD_TOKEN: token
	};
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
		child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
		child.on('error', reject);
		child.on('close', (code) => resolve({ code, stdout, stderr }));
		child.stdin.end(stdin);
	});
}

/** A chat whose second question was edited: two branches, the edited one on screen. */
async function branchedChat() {
	const sb = createSwitchboardClient({ url: harness.url, token });
	const first = await sb.ask({ content: 'one', providerId: 'openai', modelId: 'gpt-4.1-mini' }).result;
	const second = await sb.ask({ chatId: first.chatId, content: 'two' }).result;
	const detail = await sb.chats.get.query({ chatId: first.chatId });
	const question = detail.messages.find((m) => m.id === second.messageId)!.parentId!;
	const edited = await sb.chats.edit.mutate({ messageId: question, content: 'two, edited' });
	await sb.ask({ chatId: first.chatId, content: 'three' }).result;
	return { sb, chatId: first.chatId, question, edited };
}

describe('SDK', () => {
	it('reads the branch on screen with each message’s versions, and moves between branches', async () => {
		const { sb, chatId, question } = await branchedChat();
		const branch = await sb.readBranch(chatId);
		expect(branch.map((s) => s.message.content.slice(0, 11))).toEqual([
			'one',
			'Hello from ',
			'two, edited',
			'Hello from ',
			'three',
			'Hello from '
		]);
		expect(branch[2]).toMatchObject({ index: 1, count: 2 });
		await sb.chats.selectBranch.mutate({ messageId: question });
		expect((await sb.readBranch(chatId)).map((s) => s.message.content.slice(0, 3))).toEqual([
			'one',
			'Hel',
			'two',
			'Hel'
		]);
	});

	it('exports and imports; an oversized file is refused before it is sent', async () => {
		const { sb, chatId } = await branchedChat();
		const file = await sb.exportChats({ chatId });
		const imported = await sb.importChats(file.content);
		expect((await sb.readBranch(imported.chats[0].id)).map((s) => s.message.content)).toEqual(
			(await sb.readBranch(chatId)).map((s) => s.message.content)
		);
		const requests = harness.emulators.openai.requests.length;
		const error = await sb.importChats(' '.repeat(MAX_IMPORT_BYTES + 1)).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(SwitchboardError);
		expect((error as SwitchboardError).message).toMatch(/larger than 64 MB/);
		expect(harness.emulators.openai.requests.length).toBe(requests);
	});
});

describe('CLI', () => {
	it('show prints the branch on screen; export writes a file that import reads back', async () => {
		const { chatId } = await branchedChat();
		const shown = await cli(['show', chatId]);
		expect(shown.code).toBe(0);
		expect(shown.stdout).toContain('You [2/2]:\ntwo, edited\n');
		expect(shown.stdout).not.toContain('\ntwo\n');

		const out = join(home, 'chat.json');
		const exported = await cli(['export', '--chat', chatId, '-o', out]);
		expect(exported.code).toBe(0);
		const imported = await cli(['import', out, '--json']);
		expect(imported.code).toBe(0);
		const result = JSON.parse(imported.stdout) as { chats: { id: string }[]; messages: number };
		expect(result.messages).toBe(8);
		// Said in words without --json: the chat's id and title on stdout, the counts on stderr.
		const told = await cli(['import', out]);
		expect(told.stdout).toMatch(/^[0-9a-f-]{36} {2}\S.*\n$/);
		expect(told.stderr).toBe('Imported 1 chat, 8 messages.\n');
		const markdown = await cli(['export', '--chat', result.chats[0].id, '--format', 'markdown']);
		expect(markdown.stdout).toContain('## You · version 2 of 2\n\ntwo, edited');
		expect(JSON.parse(await readFile(out, 'utf8'))).toMatchObject({
			format: 'switchboard-chats',
			version: 1
		});
		// Five CLI processes, each a cold Node start.
	}, 120_000);

	it('export says on stderr when its file is past what an import takes, and writes the file exactly', async () => {
		await harness.app.database.db.execute(
			sql`insert into chats (user_id, title) select ${harness.admin.user.id}, 'Chat ' || n from generate_series(1, ${MAX_IMPORT_CHATS + 1}) n`
		);
		const run = await cli(['export']);
		expect(run.code).toBe(0);
		expect(JSON.parse(run.stdout).chats).toHaveLength(MAX_IMPORT_CHATS + 1);
		expect(run.stderr).toBe(
			`switchboard: This file holds ${MAX_IMPORT_CHATS + 1} chats, and an import takes at most ${MAX_IMPORT_CHATS}: export the chats one at a time to import them elsewhere.\n`
		);
	});

	it('import refuses a malformed file with the reason and exit code 2', async () => {
		const bad = join(home, 'bad.json');
		await writeFile(
			bad,
			JSON.stringify({ format: 'switchboard-chats', version: 1, exportedAt: 'x', chats: [] })
		);
		const run = await cli(['import', bad]);
		expect(run.code).toBe(2);
		expect(run.stderr).toMatch(/exportedAt/);
		const piped = await cli(['import'], '{oops');
		expect(piped.code).toBe(2);
		expect(piped.stderr).toMatch(/not JSON/);
	});
});
