import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, providerFor, user } from './harness';

const repo = path.resolve(__dirname, '../../..');

async function freePort(): Promise<number> {
	const server = net.createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as net.AddressInfo;
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}

let child: ChildProcess;
const urls: Record<string, string> = {};

beforeAll(async () => {
	const [openai, anthropic, ollama] = [await freePort(), await freePort(), await freePort()];
	child = spawn(
		process.execPath,
		[path.join(repo, 'node_modules/tsx/dist/cli.mjs'), 'tests/emulators/launch.ts'],
		{
			cwd: repo,
			env: {
				...process.env,
				EMULATOR_OPENAI_PORT: `${openai}`,
				EMULATOR_ANTHROPIC_PORT: `${anthropic}`,
				EMULATOR_OLLAMA_PORT: `${ollama}`
			},
			stdio: ['ignore', 'pipe', 'inherit']
		}
	);
	let output = '';
	await new Promise<void>((resolve, reject) => {
		child.once('exit', (code) => reject(new Error(`launcher exited with ${code}`)));
		child.stdout!.on('data', (chunk: Buffer) => {
			output += chunk.toString();
			if (output.includes('OLLAMA_HOST=')) resolve();
		});
	});
	for (const name of ['OPENAI_BASE_URL', 'ANTHROPIC_BASE_URL', 'OLLAMA_HOST']) {
		urls[name] = new RegExp(`${name}=(\\S+)`).exec(output)![1];
	}
}, 30_000);

afterAll(() => {
	child?.kill('SIGTERM');
});

const signal = () => AbortSignal.timeout(5_000);

describe('npm run emulator (tests/emulators/launch.ts)', () => {
	it('serves all three protocols to the official SDKs (through the adapters)', async () => {
		const cases = [
			['openai', urls.OPENAI_BASE_URL, 'gpt-4.1-mini'],
			['anthropic', urls.ANTHROPIC_BASE_URL, 'claude-haiku-4-5'],
			['ollama', urls.OLLAMA_HOST, 'llama3.2:1b']
		] as const;
		for (const [kind, url, model] of cases) {
			const out = await collect(
				providerFor(kind, { url }).stream({ model, messages: [user('hi')] }, signal())
			);
			expect(out.text).toBe(`Hello from ${model}. You said: hi`);
			expect(out.finish?.usage.estimated).toBe(false);
		}
	});

	it('is scriptable over HTTP and reports recorded requests', async () => {
		const origin = new URL(urls.OPENAI_BASE_URL).origin;
		await fetch(`${origin}/__control/reset`, { method: 'POST' });
		await fetch(`${origin}/__control/script`, {
			method: 'POST',
			body: JSON.stringify({ scenarios: [{ status: 503 }] })
		});
		const openai = providerFor('openai', { url: urls.OPENAI_BASE_URL });
		await expect(
			openai.complete({ model: 'gpt-4.1-mini', messages: [user('hi')] }, signal())
		).rejects.toMatchObject({ status: 503 });
		const { requests } = (await (await fetch(`${origin}/__control/requests`)).json()) as {
			requests: { path: string; body: { model: string } }[];
		};
		expect(requests).toMatchObject([{ path: '/v1/chat/completions', body: { model: 'gpt-4.1-mini' } }]);
	});
});
