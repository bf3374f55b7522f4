#!/usr/bin/env node
// Proves the package works for another project, the way one would use it:
//   npm pack (prepack builds dist/sdk) → a fresh project installs the tarball → `tsc --noEmit`
//   on code that imports 'switchboard/sdk' (with checks that the router types are real, not any)
//   → the same import at run time → the installed `switchboard` bin (from dist, no tsx).
// Needs the npm registry (or its cache) for the package's dependencies. Run: node scripts/verify-sdk-package.mjs
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const keep = process.argv.includes('--keep');

function run(command, args, cwd) {
	process.stdout.write(`$ ${command} ${args.join(' ')}\n`);
	return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
}

const consumerSource = `import {
	createSwitchboardClient,
	SwitchboardError,
	SwitchboardProviderError,
	type AskResult,
	type ProviderErrorCode,
	type RouterOutputs,
	type StreamEvent
} from 'switchboard/sdk';

const client = createSwitchboardClient({ url: 'http://127.0.0.1:9', token: 'sb_x' });

export async function typed(): Promise<void> {
	const run = client.ask({ content: 'hi', providerId: 'openai', temperature: 0.2 });
	for await (const event of run) {
		const e: StreamEvent = event;
		if (e.type === 'delta') e.text.toUpperCase();
	}
	const result: AskResult = await run.result;
	const cost: number | null = result.usage.costUsd;
	void cost;
	const completion = await client.complete({ messages: [{ role: 'user', content: 'x' }] });
	const text: string = completion.text;
	void text;
	const chats: RouterOutputs['chats']['list'] = await client.chats.list.query({});
	void chats;
	const me = await client.auth.me.query();
	void me?.email;
	// @ts-expect-error chats.send needs chatId and content: the router types are real, not any.
	await client.chats.send.mutate({});
	// @ts-expect-error no such procedure
	await client.nothingHere.query();
	try {
		await run.result;
	} catch (error) {
		if (error instanceof SwitchboardProviderError) {
			const code: ProviderErrorCode = error.code;
			void code;
		}
		if (error instanceof SwitchboardError) void error.provider?.retryable;
	}
}
`;

async function main() {
	const work = await mkdtemp(join(tmpdir(), 'switchboard-sdk-'));
	try {
		// Lifecycle scripts (prepack) may print to stdout too: the JSON report is the part from `[`.
		const packOutput = run('npm', ['pack', '--json', '--pack-destination', work], root);
		const packed = JSON.parse(packOutput.slice(packOutput.search(/^\[/m)));
		const tarball = join(work, packed[0].filename);
		const files = packed[0].files.map((f) => f.path);
		if (files.some((f) => f.startsWith('src/'))) throw new Error('the tarball contains src/');
		if (files.some((f) => /^dist\/sdk\/lib\/server\/.*\.js$/.test(f)))
			throw new Error('server JavaScript was packed');
		process.stdout.write(`packed ${files.length} files\n`);

		const consumer = join(work, 'consumer');
		const repoPackage = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
		await mkdir(consumer);
		await writeFile(
			join(consumer, 'package.json'),
			JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2)
		);
		await writeFile(
			join(consumer, 'tsconfig.json'),
			JSON.stringify(
				{
					compilerOptions: {
						target: 'ES2022',
						module: 'NodeNext',
						moduleResolution: 'NodeNext',
						strict: true,
						noEmit: true,
						skipLibCheck: true,
						types: ['node']
					},
					include: ['index.ts']
				},
				null,
				2
			)
		);
		await writeFile(join(consumer, 'index.ts'), consumerSource);
		run(
			'npm',
			[
				'install',
				'--no-audit',
				'--no-fund',
				'--prefer-offline',
				tarball,
				`typescript@${repoPackage.devDependencies.typescript}`,
				`@types/node@${repoPackage.devDependencies['@types/node']}`
			],
			consumer
		);
		run(join(consumer, 'node_modules', '.bin', 'tsc'), ['-p', '.'], consumer);
		process.stdout.write('consumer typechecks\n');
		const loaded = run(
			'node',
			[
				'--input-type=module',
				'-e',
				"const m = await import('switchboard/sdk'); console.log(Object.keys(m).sort().join(','))"
			],
			consumer
		);
		if (!loaded.includes('createSwitchboardClient')) throw new Error(`unexpected exports: ${loaded}`);
		const version = run(join(consumer, 'node_modules', '.bin', 'switchboard'), ['--version'], consumer);
		process.stdout.write(`runtime import ok; installed bin reports ${version}`);
	} finally {
		if (keep) process.stdout.write(`kept ${work}\n`);
		else await rm(work, { recursive: true, force: true });
	}
}

await main();
