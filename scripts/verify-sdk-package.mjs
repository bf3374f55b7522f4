#!/usr/bin/env node
// Proves the SDK package (packages/sdk, npm name `switchboard`) works for another project and stays
// lean, the way one would use it:
//   npm pack in packages/sdk (prepack builds dist/) → a fresh project installs the tarball →
//   its node_modules hold no server package and weigh at most 5 MB (besides the project's own
//   typescript and @types/node) → `tsc --strict` with skipLibCheck off passes on code using the
//   helpers and every procedure (all typed, none `any`) and fails on a wrong input →
//   the import works at run time → the installed `switchboard` bin runs.
// Needs the npm registry (or its cache). Run: node scripts/verify-sdk-package.mjs [--keep]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const packageDir = join(root, 'packages', 'sdk');
const keep = process.argv.includes('--keep');
const MAX_BYTES = 5 * 1024 * 1024;
/** The consumer's own tools, installed beside the SDK: not what the SDK brings. */
const consumerTools = ['typescript', '@types/node', 'undici-types'];

function run(command, args, cwd) {
	process.stdout.write(`$ ${command} ${args.join(' ')}\n`);
	return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
}

function fail(message) {
	throw new Error(message);
}

const consumerSource = `import {
	createSwitchboardClient,
	SwitchboardError,
	SwitchboardProviderError,
	type AskResult,
	type CompletionStreamResult,
	type ProviderErrorCode,
	type RouterInputs,
	type RouterOutputs,
	type StreamEvent
} from 'switchboard/sdk';

const client = createSwitchboardClient({ url: 'http://127.0.0.1:9', token: 'sb_x' });

// Every procedure of the client, with its input and output: none may be \`any\`.
type IsAny<T> = 0 extends 1 & T ? true : false;
type Untyped<T> = {
	[K in keyof T]: T[K] extends { query: (input: infer I, ...rest: never[]) => Promise<infer O> }
		? [IsAny<I>, IsAny<O>] extends [false, false] ? never : K
		: T[K] extends { mutate: (input: infer I, ...rest: never[]) => Promise<infer O> }
			? [IsAny<I>, IsAny<O>] extends [false, false] ? never : K
			: T[K] extends { subscribe: (input: infer I, ...rest: never[]) => unknown }
				? IsAny<I> extends false ? never : K
				: T[K] extends (...args: never[]) => unknown ? never : Untyped<T[K]>;
}[keyof T];
type Procedures = keyof RouterInputs['chats'] | keyof RouterInputs['auth'] | keyof RouterInputs['usage'];
export const everyProcedureTyped: [Untyped<typeof client>] extends [never] ? true : Untyped<typeof client> = true;
export const someProcedures: Procedures[] = ['send', 'list', 'me', 'summary', 'stream'];

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
	const streamed = client.streamCompletion({ messages: [{ role: 'user', content: 'x' }], maxTokens: 10 });
	for await (const event of streamed) if (event.type === 'done') void event.usage.outputTokens;
	const end: CompletionStreamResult = await streamed.result;
	void end.generationId;
	const chats: RouterOutputs['chats']['list'] = await client.chats.list.query({});
	const created: Date = chats.items[0].createdAt;
	void created;
	const me = await client.auth.me.query();
	void me?.email;
	const summary = await client.usage.summary.query({ groupBy: 'model' });
	void summary[0]?.costUsd;
	const sub = client.chats.stream.subscribe(
		{ messageId: '00000000-0000-0000-0000-000000000000' },
		{ onData: ({ data }) => void (data satisfies StreamEvent) }
	);
	sub.unsubscribe();
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

/** Wrong inputs: `tsc` must refuse each of these lines. */
const wrongSource = `import { createSwitchboardClient } from 'switchboard/sdk';
const client = createSwitchboardClient({ url: 'http://127.0.0.1:9' });
export const a = client.chats.send.mutate({ chatId: 'x', content: 42 });
export const b = client.complete({ messages: [{ role: 'robot', content: 'x' }] });
export const c = client.usage.summary.query({ groupBy: 'weekday' });
`;

function tsconfig(file) {
	return JSON.stringify(
		{
			compilerOptions: {
				target: 'ES2022',
				module: 'NodeNext',
				moduleResolution: 'NodeNext',
				strict: true,
				noEmit: true,
				skipLibCheck: false,
				types: ['node']
			},
			files: [file]
		},
		null,
		2
	);
}

/** Bytes on disk under `dir` (file sizes), by top-level package. */
async function packageSizes(nodeModules) {
	const sizes = new Map();
	for (const entry of await readdir(nodeModules, { withFileTypes: true, recursive: true })) {
		if (!entry.isFile()) continue;
		const path = join(entry.parentPath, entry.name);
		const parts = path.slice(nodeModules.length + 1).split('/');
		if (parts[0] === '.package-lock.json' || parts[0] === '.bin') continue;
		const name = parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
		sizes.set(name, (sizes.get(name) ?? 0) + (await stat(path)).size);
	}
	return sizes;
}

async function checkInstall(consumer) {
	const sizes = await packageSizes(join(consumer, 'node_modules'));
	const app = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
	const sdk = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8'));
	const serverOnly = Object.keys(app.dependencies).filter((name) => !(name in sdk.dependencies));
	const leaked = serverOnly.filter((name) => sizes.has(name));
	if (leaked.length) fail(`the SDK pulled server packages: ${leaked.join(', ')}`);
	let total = 0;
	for (const [name, bytes] of [...sizes].sort((a, b) => b[1] - a[1])) {
		if (consumerTools.includes(name)) continue;
		total += bytes;
		process.stdout.write(`  ${(bytes / 1024).toFixed(0).padStart(6)} KB  ${name}\n`);
	}
	process.stdout.write(`node_modules from the SDK: ${(total / 1024 / 1024).toFixed(2)} MB\n`);
	if (total > MAX_BYTES) fail(`the SDK's install is ${total} bytes, over the ${MAX_BYTES} budget`);
}

async function main() {
	const work = await mkdtemp(join(tmpdir(), 'switchboard-sdk-'));
	try {
		// Lifecycle scripts (prepack) may print to stdout too: the JSON report is the part from `[`.
		const packOutput = run('npm', ['pack', '--json', '--pack-destination', work], packageDir);
		const packed = JSON.parse(packOutput.slice(packOutput.search(/^\[/m)));
		const tarball = join(work, packed[0].filename);
		const files = packed[0].files.map((f) => f.path);
		const stray = files.filter((f) => !/^(dist\/|bin\/|package\.json$|README\.md$)/.test(f));
		if (stray.length) fail(`unexpected files in the tarball: ${stray.join(', ')}`);
		process.stdout.write(`packed ${files.length} files, ${packed[0].size} bytes\n`);

		const consumer = join(work, 'consumer');
		const repoPackage = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
		await mkdir(consumer);
		await writeFile(
			join(consumer, 'package.json'),
			JSON.stringify({ name: 'consumer', private: true, type: 'module' })
		);
		await writeFile(join(consumer, 'tsconfig.json'), tsconfig('index.ts'));
		await writeFile(join(consumer, 'tsconfig.wrong.json'), tsconfig('wrong.ts'));
		await writeFile(join(consumer, 'index.ts'), consumerSource);
		await writeFile(join(consumer, 'wrong.ts'), wrongSource);
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
		await checkInstall(consumer);

		const tsc = join(consumer, 'node_modules', '.bin', 'tsc');
		run(tsc, ['-p', 'tsconfig.json'], consumer);
		process.stdout.write('consumer typechecks (strict, skipLibCheck off)\n');
		const wrong = spawnSync(tsc, ['-p', 'tsconfig.wrong.json'], { cwd: consumer, encoding: 'utf8' });
		const refused = new Set([...wrong.stdout.matchAll(/^wrong\.ts\((\d+),/gm)].map((m) => Number(m[1])));
		if (wrong.status === 0 || ![3, 4, 5].every((line) => refused.has(line))) {
			fail(
				`tsc accepted a wrong input (refused lines: ${[...refused].join(', ') || 'none'}):\n${wrong.stdout}`
			);
		}
		process.stdout.write('wrong inputs refused by tsc\n');

		const loaded = run(
			'node',
			[
				'--input-type=module',
				'-e',
				"const m = await import('switchboard/sdk'); console.log(Object.keys(m).sort().join(','))"
			],
			consumer
		);
		if (!loaded.includes('createSwitchboardClient')) fail(`unexpected exports: ${loaded}`);
		const version = run(
			join(consumer, 'node_modules', '.bin', 'switchboard'),
			['--version'],
			consumer
		).trim();
		const expected = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8')).version;
		if (version !== expected) fail(`the installed bin reports ${version}, expected ${expected}`);
		process.stdout.write(`runtime import ok; installed bin reports ${version}\n`);
	} finally {
		if (keep) process.stdout.write(`kept ${work}\n`);
		else await rm(work, { recursive: true, force: true });
	}
}

await main();
