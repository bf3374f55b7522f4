import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { createApiToken } from '../../helpers/auth-client';
import { useChatHarness } from '../../helpers/chat-harness';

/*
 * The CLI end to end: `node bin/switchboard.mjs` in a child process against the app on real HTTP
 * and the provider emulators. Spawned asynchronously: the server runs in this process.
 */
const harness = useChatHarness();
const bin = fileURLToPath(new URL('../../../bin/switchboard.mjs', import.meta.url));

type CliRun = {
	code: number | null;
	stdout: string;
	stderr: string;
	chunks: { at: number; text: string }[];
	endedAt: number;
};

let home: string;
let token: string;
beforeEach(async () => {
	home = await mkdtemp(join(tmpdir(), 'switchboard-cli-'));
	token = await createApiToken(harness.app, harness.admin.user.id);
});
afterEach(async () => {
	await rm(home, { recursive: true, force: true });
});

/** A word for `sh -c`, quoted. */
const shellWord = (word: string) => `'${word.replaceAll("'", `'\\''`)}'`;

function cli(
	args: string[],
	options: {
		env?: Record<string, string>;
		stdin?: string;
		login?: boolean;
		/** Run on a pseudo-terminal (util-linux `script`): stdout and stderr are a TTY, as in a shell. */
		terminal?: boolean;
	} = {}
): Promise<CliRun> {
	const login = options.login ?? true;
	const env: Record<string, string> = {
		PATH: process.env.PATH ?? '',
		HOME: home,
		SWITCHBOARD_CONFIG: join(home, 'config.json'),
		NO_COLOR: '1',
		...(login ? { SWITCHBOARD_URL: harness.url, SWITCHBOARD_TOKEN: token } : {}),
		...options.env
	};
	return new Promise((resolve, reject) => {
		const command = [process.execPath, bin, ...args];
		const child = options.terminal
			? spawn('script', ['-qec', command.map(shellWord).join(' '), '/dev/null'], {
					env,
					stdio: ['pipe', 'pipe', 'pipe']
				})
			: spawn(command[0], command.slice(1), { env, stdio: ['pipe', 'pipe', 'pipe'] });
		const run: CliRun = { code: null, stdout: '', stderr: '', chunks: [], endedAt: 0 };
		child.stdout.setEncoding('utf8').on('data', (text: string) => {
			run.stdout += text;
			run.chunks.push({ at: Date.now(), text });
		});
		child.stderr.setEncoding('utf8').on('data', (text: string) => (run.stderr += text));
		child.on('error', reject);
		child.on('close', (code) => {
			run.code = code;
			run.endedAt = Date.now();
			resolve(run);
		});
		if (options.stdin !== undefined) child.stdin.end(options.stdin);
		else child.stdin.end();
	});
}

describe('switchboard chat', () => {
	it('--file sends an image and a text file with the prompt; a missing file is a usage error', async () => {
		const png = await sharp({ create: { width: 2, height: 2, channels: 3, background: '#00ff00' } })
			.png()
			.toBuffer();
		await writeFile(join(home, 'a.png'), png);
		await writeFile(join(home, 'notes.txt'), 'Due Friday.');
		const args = ['chat', '--provider', 'anthropic', '--model', 'claude-haiku-4-5'];
		const run = await cli([
			...args,
			'--file',
			join(home, 'a.png'),
			'--file',
			join(home, 'notes.txt'),
			'what is this?'
		]);
		expect(run.stderr).not.toMatch(/switchboard:/);
		expect(run.code).toBe(0);
		const sent = harness.emulators.anthropic.requests.find((r) => r.path === '/v1/messages')!;
		expect((sent.body as { messages: unknown[] }).messages).toEqual([
			{
				role: 'user',
				content: [
					{
						type: 'image',
						source: { type: 'base64', media_type: 'image/png', data: png.toString('base64') }
					},
					{
						type: 'text',
						text: '<file name="notes.txt">\nDue Friday.\n</file>\n\nwhat is this?',
						cache_control: { type: 'ephemeral' }
					}
				]
			}
		]);

		const missing = await cli([...args, '--file', join(home, 'nope.png'), 'hi']);
		expect(missing.code).toBe(2);
		expect(missing.stderr).toContain('--file');
		expect(missing.stderr).toContain('no such file');
	});

	it('streams the answer to stdout as it arrives, then usage on stderr', async () => {
		harness.emulators.openai.script({
			chunks: ['One ', 'two ', 'three ', 'four'],
			paceMs: 300,
			usage: { inputTokens: 9, outputTokens: 4 }
		});
		const run = await cli(['chat', 'count to four', '--provider', 'openai', '--model', 'gpt-4o-mini']);
		expect(run.stderr).not.toMatch(/switchboard:/);
		expect(run.code).toBe(0);
		expect(run.stdout).toBe('One two three four\n');
		// Streaming, not buffering: text was on stdout long before the process ended.
		expect(run.chunks.length).toBeGreaterThan(1);
		expect(run.endedAt - run.chunks[0].at).toBeGreaterThanOrEqual(450);
		expect(run.stderr.trim()).toMatch(/^openai\/gpt-4o-mini · 9 in \/ 4 out tokens · \$/);
	});

	it('on a terminal, says who it waits for and for how long once the first text is late, then erases that line', async () => {
		const args = ['chat', 'hello', '--provider', 'openai', '--model', 'gpt-4o-mini'];
		// OpenAI sends nothing until the harness's 3 s provider timeout; Anthropic, the fallback, takes
		// 2 s more: about 5 s without text, the last seconds of it awaiting Anthropic.
		const slow = () => {
			harness.emulators.openai.script({ delayMs: 4_000, chunks: ['Too late'] });
			harness.emulators.anthropic.script({ delayMs: 2_000, chunks: ['Late but here'] });
		};
		slow();
		const shown = await cli(args, { terminal: true });
		expect(shown.code).toBe(0);
		// `script` puts stdout and stderr on the one terminal.
		expect(shown.stdout).toContain('\r\u001b[2KWaiting for anthropic/claude-sonnet-5-5 · 4 s');
		expect(shown.stdout).toContain('\r\u001b[2KLate but here\r\n');

		slow();
		const piped = await cli(args);
		expect(piped.stdout).toBe('Late but here\n');
		expect(piped.stderr).not.toContain('Waiting');
	}, 30_000);

	it("shows an answer's escape sequences on a terminal as U+FFFD, and pipes them exactly", async () => {
		// What a prompt injection can make a model answer: clear the screen, write the clipboard (OSC 52).
		const chunks = ['Safe\u001b[2J ', 'text\u001b]52;c;ZWNobyBoaQ==\u0007', ' end'];
		const args = ['chat', 'hello', '--provider', 'openai', '--model', 'gpt-4o-mini'];
		harness.emulators.openai.script({ chunks });
		const shown = await cli(args, { terminal: true });
		expect(shown.code).toBe(0);
		expect(shown.stdout).not.toContain('\u001b');
		expect(shown.stdout).not.toContain('\u0007');
		// The terminal turns each line break into CR LF.
		expect(shown.stdout).toContain('Safe\uFFFD[2J text\uFFFD]52;c;ZWNobyBoaQ==\uFFFD end\r\n');

		harness.emulators.openai.script({ chunks });
		const piped = await cli(args);
		expect(piped.code).toBe(0);
		expect(piped.stdout).toBe(`${chunks.join('')}\n`);
	});

	it('--json prints the final result for scripts', async () => {
		const run = await cli([
			'chat',
			'hello',
			'--provider',
			'openai',
			'--json',
			'--max-tokens',
			'50',
			'--system',
			'Be kind'
		]);
		expect(run.code).toBe(0);
		const result = JSON.parse(run.stdout);
		expect(result).toMatchObject({
			text: 'Hello from gpt-4.1-mini. You said: hello',
			providerId: 'openai',
			modelId: 'gpt-4.1-mini',
			finishReason: 'stop',
			usage: { inputTokens: expect.any(Number), outputTokens: expect.any(Number) }
		});
		const chat = await harness.client.chats.get.query({ chatId: result.chatId });
		expect(chat).toMatchObject({ systemPrompt: 'Be kind', maxTokens: 50 });
	});

	it('reads the prompt from stdin and continues a chat with --chat', async () => {
		const first = JSON.parse(
			(await cli(['chat', '--json', '--provider', 'openai'], { stdin: 'piped question\n' })).stdout
		);
		expect(first.text).toMatch(/You said: piped question/);
		const second = await cli(['chat', 'and again', '--chat', first.chatId, '--json']);
		expect(JSON.parse(second.stdout).chatId).toBe(first.chatId);
	});

	it('notes a fallback on the usage line', async () => {
		harness.emulators.anthropic.script({ status: 529, errorType: 'overloaded_error' });
		const run = await cli(['chat', 'hi']);
		expect(run.code).toBe(0);
		expect(run.stderr).toMatch(/fell back from anthropic\/\S+ \(overloaded\) to /);
	});
});

describe('exit codes', () => {
	it('2 for a usage error, with a one-line message', async () => {
		const run = await cli(['chat', 'hi', '--temperature', '9']);
		expect(run.code).toBe(2);
		expect(run.stderr.split('\n')[0]).toBe('switchboard: --temperature: At most 2');
	});

	it('3 when not logged in or the token is refused', async () => {
		const missing = await cli(['providers'], { login: false });
		expect(missing.code).toBe(3);
		expect(missing.stderr).toMatch(/Not logged in/);
		const refused = await cli(['chat', 'hi'], {
			env: { SWITCHBOARD_TOKEN: 'sb_revoked_or_wrong_00000000000000' }
		});
		expect(refused.code).toBe(3);
		expect(refused.stderr.trim()).toBe(
			'switchboard: Switchboard did not accept the token: run `switchboard login` with a valid API token.'
		);
	});

	it('4 when rate limited, 5 for an unknown model, with --json errors on stdout', async () => {
		const limited = { status: 429, errorType: 'rate_limit_exceeded', persist: true };
		harness.emulators.openai.script(limited);
		harness.emulators.anthropic.script({ ...limited, errorType: 'rate_limit_error' });
		harness.emulators.ollama.script(limited);
		const rateLimited = await cli(['chat', 'hi', '--provider', 'openai']);
		expect(rateLimited.code).toBe(4);
		expect(rateLimited.stderr).toMatch(/rate_limited/);

		const unknown = await cli(['chat', 'hi', '--provider', 'openai', '--model', 'gpt-nope', '--json']);
		expect(unknown.code).toBe(5);
		expect(unknown.stderr).toMatch(/Unknown model "gpt-nope"/);
		expect(JSON.parse(unknown.stdout)).toMatchObject({ error: { code: 'BAD_REQUEST', exitCode: 5 } });
	});

	it('1 when the server cannot be reached', async () => {
		const run = await cli(['providers'], { env: { SWITCHBOARD_URL: 'http://127.0.0.1:9' } });
		expect(run.code).toBe(1);
		expect(run.stderr.trim()).toBe(
			'switchboard: Cannot reach Switchboard at http://127.0.0.1:9: is it running?'
		);
	});
});

describe('login and the other commands', () => {
	it('login saves the URL and token (0600), then commands use them', async () => {
		const login = await cli(['login', '--url', harness.url, '--token', token], { login: false });
		expect(login.stderr).toBe('');
		expect(login.code).toBe(0);
		expect(login.stdout).toMatch(
			new RegExp(`Logged in to ${harness.url} as ${harness.admin.email} \\(admin\\)`)
		);
		const path = join(home, 'config.json');
		expect((await stat(path)).mode & 0o777).toBe(0o600);
		expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ url: harness.url, token });

		const providers = await cli(['providers', '--json'], { login: false });
		expect(providers.code).toBe(0);
		expect(JSON.parse(providers.stdout).map((p: { id: string }) => p.id)).toEqual(
			expect.arrayContaining(['anthropic', 'openai', 'ollama'])
		);
		const table = await cli(['providers'], { login: false });
		expect(table.stdout.split('\n')[0]).toMatch(
			/^ID\s+NAME\s+KIND\s+ENABLED\s+CONFIGURED\s+DEFAULT\s+STATUS$/
		);
	});

	it('login refuses a bad token and saves nothing', async () => {
		const run = await cli(['login', '--url', harness.url], {
			login: false,
			stdin: 'sb_wrong_token_0000000000000000\n'
		});
		expect(run.code).toBe(3);
		await expect(stat(join(home, 'config.json'))).rejects.toThrow();
	});

	it('models lists one provider', async () => {
		const run = await cli(['models', '--provider', 'openai', '--json']);
		expect(run.code).toBe(0);
		const models = JSON.parse(run.stdout) as { providerId: string; modelId: string }[];
		expect(models.length).toBeGreaterThan(0);
		expect(new Set(models.map((m) => m.providerId))).toEqual(new Set(['openai']));
	});

	it('usage groups what was spent', async () => {
		await cli(['chat', 'hi', '--provider', 'openai']);
		const run = await cli(['usage', '--group-by', 'provider', '--json']);
		expect(run.code).toBe(0);
		expect(JSON.parse(run.stdout)).toEqual(
			expect.arrayContaining([expect.objectContaining({ key: 'openai', requests: 1 })])
		);
		const table = await cli(['usage', '--group-by', 'model']);
		expect(table.stdout).toMatch(/^MODEL\s+REQUESTS\s+INPUT\s+OUTPUT\s+COST\s+ERRORS\n/);
	});
});
