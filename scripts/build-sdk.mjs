#!/usr/bin/env node
// Builds the client package in packages/sdk (npm name `switchboard`: `switchboard/sdk` and the
// `switchboard` bin) from src/lib/sdk and src/cli, so a client installs tRPC's client, superjson
// and an EventSource, and none of the server's dependencies:
// - JavaScript: esbuild bundles the SDK and the CLI (with the schemas and zod they use at run time)
//   into dist/, leaving the package's dependencies as imports;
// - declarations: the SDK's own .d.ts, plus generated stand-ins for what they import from elsewhere
//   in src (the router and schema types), written out structurally (scripts/sdk/declarations.mjs).
// Then it checks what it wrote. Run: npm run build:sdk (npm pack in packages/sdk runs it too).
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { format, resolveConfig } from 'prettier';
import ts from 'typescript';
import { buildDeclarations } from './sdk/declarations.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const srcDir = join(root, 'src');
const sdkDir = join(srcDir, 'lib', 'sdk');
const packageDir = join(root, 'packages', 'sdk');
const outDir = join(packageDir, 'dist');
const configFile = join(root, 'tsconfig.sdk.json');

function fail(message) {
	process.stderr.write(`build:sdk: ${message}\n`);
	process.exit(1);
}

const formatHost = {
	getCanonicalFileName: (f) => f,
	getCurrentDirectory: () => root,
	getNewLine: () => '\n'
};
const formatDiagnostics = (diagnostics) => ts.formatDiagnosticsWithColorAndContext(diagnostics, formatHost);

function createProgram() {
	const { config, error } = ts.readConfigFile(configFile, ts.sys.readFile);
	if (error) fail(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
	const parsed = ts.parseJsonConfigFileContent(config, ts.sys, root, undefined, configFile);
	if (parsed.errors.length) fail(formatDiagnostics(parsed.errors));
	const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
	// Type errors in the SDK or the CLI fail the build; the server's belong to `npm run check`.
	const shipped = [sdkDir, join(srcDir, 'cli'), join(srcDir, 'lib', 'schemas')];
	const isShipped = (sf) => shipped.some((dir) => resolve(sf.fileName).startsWith(dir));
	const own = [
		...program.getOptionsDiagnostics(),
		...program.getGlobalDiagnostics(),
		...program
			.getSourceFiles()
			.filter(isShipped)
			.flatMap((sf) => [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)])
	];
	if (own.length) fail(`type errors:\n${formatDiagnostics(own)}`);
	return program;
}

/** The package's dependencies must be the versions the app is built and tested with. */
async function checkDependencies() {
	const app = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
	const sdk = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8'));
	for (const [name, range] of Object.entries(sdk.dependencies)) {
		if (app.dependencies[name] !== range) {
			fail(`packages/sdk depends on ${name}@${range}, the app on ${app.dependencies[name] ?? 'nothing'}`);
		}
	}
	return Object.keys(sdk.dependencies);
}

async function bundle(dependencies) {
	const { metafile } = await build({
		absWorkingDir: root,
		entryPoints: { 'lib/sdk/index': 'src/lib/sdk/index.ts', 'cli/main': 'src/cli/main.ts' },
		outdir: outDir,
		bundle: true,
		splitting: true,
		format: 'esm',
		platform: 'neutral',
		target: 'es2022',
		// The dependencies (and their subpaths) stay imports; Node's built-ins are the CLI's.
		external: [...dependencies.flatMap((d) => [d, `${d}/*`]), 'node:*'],
		mainFields: ['module', 'main'],
		conditions: ['import'],
		alias: { $lib: './src/lib' },
		tsconfig: 'tsconfig.sdk.json',
		chunkNames: 'chunks/[name]-[hash]',
		legalComments: 'none',
		metafile: true,
		logLevel: 'warning'
	});
	return metafile;
}

/** Every module specifier a declaration file names: imports, re-exports and `import("…")` types. */
function declarationSpecifiers(fileName, text) {
	const found = [];
	const visit = (node) => {
		if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
			found.push(node.moduleSpecifier.text);
		} else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
			found.push(node.argument.literal.text);
		}
		ts.forEachChild(node, visit);
	};
	visit(ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest));
	return found;
}

/**
 * What must hold for the package to work elsewhere: its JavaScript and its declarations import
 * nothing but its own files, Node's built-ins and its dependencies.
 */
function verify(dependencies, metafile, declarations) {
	const isAllowed = (spec) =>
		spec.startsWith('.') ||
		spec.startsWith('node:') ||
		dependencies.some((d) => spec === d || spec.startsWith(`${d}/`));
	const problems = [];
	for (const [file, output] of Object.entries(metafile.outputs)) {
		for (const { path, external } of output.imports) {
			if (external && !isAllowed(path)) problems.push(`${file} imports ${path}`);
		}
	}
	for (const [file, text] of declarations) {
		for (const spec of declarationSpecifiers(file, text)) {
			if (!isAllowed(spec)) problems.push(`${relative(root, file)} imports ${spec}`);
		}
	}
	if (problems.length)
		fail(`the build reaches beyond the package's dependencies:\n  ${problems.join('\n  ')}`);
}

async function main() {
	const dependencies = await checkDependencies();
	const program = createProgram();
	await rm(outDir, { recursive: true, force: true });
	const metafile = await bundle(dependencies);
	let declarations;
	try {
		declarations = buildDeclarations({ program, srcDir, sdkDir, outDir });
	} catch (error) {
		fail(`declarations: ${error instanceof Error ? error.message : String(error)}`);
	}
	// Formatted like the sources, so a consumer's "go to definition" lands on readable types.
	const style = await resolveConfig(join(root, 'package.json'));
	for (const [file, text] of declarations) {
		await mkdir(dirname(file), { recursive: true });
		await writeFile(file, await format(text, { ...style, parser: 'typescript' }));
	}
	verify(dependencies, metafile, declarations);
	process.stdout.write(`build:sdk: wrote ${relative(root, outDir)}\n`);
}

await main();
