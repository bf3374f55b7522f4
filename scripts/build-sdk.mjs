#!/usr/bin/env node
// Builds the SDK and CLI into dist/sdk with the TypeScript compiler API (no bundler):
// - JavaScript only for src/lib/sdk, src/lib/schemas and src/cli: the browser-safe part;
// - declarations for those and for every server file the AppRouter type reaches, so
//   `import type { AppRouter }` in the emitted .d.ts still resolves in another project;
// - every module specifier rewritten to a relative path with its `.js` extension, so Node's ESM
//   loader and `moduleResolution: node16` consumers resolve them, and no `$lib` alias survives.
// Then it checks what it wrote: no `$lib`, and no JavaScript that imports server code.
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const configFile = join(root, 'tsconfig.sdk.json');
const srcDir = join(root, 'src');
const outDir = join(root, 'dist', 'sdk');
/** Directories whose JavaScript ships; everything else under src/ ships as declarations only. */
const runtimeDirs = ['lib/sdk', 'lib/schemas', 'cli'].map((dir) => join(srcDir, dir) + sep);

function fail(message) {
	process.stderr.write(`build:sdk: ${message}\n`);
	process.exit(1);
}

function loadConfig() {
	const { config, error } = ts.readConfigFile(configFile, ts.sys.readFile);
	if (error) fail(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
	const parsed = ts.parseJsonConfigFileContent(config, ts.sys, root, undefined, configFile);
	if (parsed.errors.length) fail(formatDiagnostics(parsed.errors));
	return parsed;
}

const formatHost = {
	getCanonicalFileName: (f) => f,
	getCurrentDirectory: () => root,
	getNewLine: () => '\n'
};
const formatDiagnostics = (diagnostics) => ts.formatDiagnosticsWithColorAndContext(diagnostics, formatHost);

const isRuntimeFile = (fileName) => runtimeDirs.some((dir) => resolve(fileName).startsWith(dir));
const isOwnSource = (sf) => !sf.isDeclarationFile && resolve(sf.fileName).startsWith(srcDir + sep);

/** The output path of a source file, with the given extension. */
function outputPath(sourceFile, extension) {
	return join(outDir, relative(srcDir, sourceFile)).replace(/\.(m|c)?tsx?$/, extension);
}

function createSpecifierRewriter(options, host) {
	/** `$lib/x`, `./x`, `../x/index`… as a relative `.js` path from `fromSource`'s output. */
	return function rewrite(specifier, fromSource) {
		const { resolvedModule } = ts.resolveModuleName(specifier, fromSource, options, host);
		if (!resolvedModule || resolvedModule.isExternalLibraryImport) return specifier;
		const target = resolve(resolvedModule.resolvedFileName);
		if (!target.startsWith(srcDir + sep)) fail(`${fromSource} imports ${specifier}, outside src/`);
		if (target.endsWith('.d.ts')) fail(`${fromSource} imports the declaration file ${specifier}`);
		let path = relative(dirname(outputPath(fromSource, '.js')), outputPath(target, '.js'));
		path = path.split(sep).join('/');
		return path.startsWith('.') ? path : `./${path}`;
	};
}

/** A transformer that rewrites import/export specifiers and `import("…")` types in one file. */
function specifierTransformer(rewrite, fromSource) {
	return (context) => {
		const { factory } = context;
		const literal = (node) => factory.createStringLiteral(rewrite(node.text, fromSource));
		const visit = (node) => {
			if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
				return factory.updateImportDeclaration(
					node,
					node.modifiers,
					node.importClause,
					literal(node.moduleSpecifier),
					node.attributes
				);
			}
			if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
				return factory.updateExportDeclaration(
					node,
					node.modifiers,
					node.isTypeOnly,
					node.exportClause,
					literal(node.moduleSpecifier),
					node.attributes
				);
			}
			if (
				ts.isImportTypeNode(node) &&
				ts.isLiteralTypeNode(node.argument) &&
				ts.isStringLiteral(node.argument.literal)
			) {
				const argument = factory.updateLiteralTypeNode(node.argument, literal(node.argument.literal));
				return factory.updateImportTypeNode(
					node,
					argument,
					node.attributes,
					node.qualifier,
					ts.visitNodes(node.typeArguments, visit),
					node.isTypeOf
				);
			}
			if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
				const [first, ...rest] = node.arguments;
				if (first && ts.isStringLiteral(first)) {
					return factory.updateCallExpression(node, node.expression, node.typeArguments, [
						literal(first),
						...rest
					]);
				}
			}
			return ts.visitEachChild(node, visit, context);
		};
		return (file) => ts.visitNode(file, visit);
	};
}

async function filesUnder(dir) {
	const entries = await readdir(dir, { withFileTypes: true, recursive: true });
	return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/** What must hold for the package to work elsewhere: checked on the files as written. */
async function verify() {
	const problems = [];
	for (const file of await filesUnder(outDir)) {
		const text = await readFile(file, 'utf8');
		if (/['"]\$lib[/'"]/.test(text)) problems.push(`${relative(root, file)} still names $lib`);
		if (file.endsWith('.js')) {
			for (const [, spec] of text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)) {
				if (spec.startsWith('.') && resolve(dirname(file), spec).startsWith(join(outDir, 'lib', 'server'))) {
					problems.push(`${relative(root, file)} imports server code (${spec})`);
				}
			}
		}
	}
	if (problems.length) fail(`the build is not self-contained:\n  ${problems.join('\n  ')}`);
}

async function main() {
	const parsed = loadConfig();
	const options = { ...parsed.options, noEmit: false, emitDeclarationOnly: false };
	const host = ts.createCompilerHost(options);
	const program = ts.createProgram({ rootNames: parsed.fileNames, options, host });

	// Type errors in the SDK or CLI fail the build; elsewhere (the server, being worked on by others)
	// they are reported, since the declarations may still be usable, and `npm run check` owns them.
	const diagnostics = ts.getPreEmitDiagnostics(program);
	const own = diagnostics.filter((d) => !d.file || isRuntimeFile(d.file.fileName));
	const others = diagnostics.filter((d) => d.file && !isRuntimeFile(d.file.fileName));
	if (others.length)
		process.stderr.write(`build:sdk: warnings from server files:\n${formatDiagnostics(others)}\n`);
	if (own.length) fail(`type errors:\n${formatDiagnostics(own)}`);

	await rm(outDir, { recursive: true, force: true });
	const rewrite = createSpecifierRewriter(options, host);
	const written = [];
	const writeFileCallback = (fileName, text) => {
		written.push(mkdir(dirname(fileName), { recursive: true }).then(() => writeFile(fileName, text)));
	};
	const emitErrors = [];
	for (const sourceFile of program.getSourceFiles().filter(isOwnSource)) {
		const transformer = specifierTransformer(rewrite, sourceFile.fileName);
		const declarationsOnly = !isRuntimeFile(sourceFile.fileName);
		const result = program.emit(sourceFile, writeFileCallback, undefined, declarationsOnly, {
			before: [transformer],
			afterDeclarations: [transformer]
		});
		emitErrors.push(...result.diagnostics);
	}
	await Promise.all(written);
	if (emitErrors.length) fail(`declaration emit failed:\n${formatDiagnostics(emitErrors)}`);

	// The package entry (`switchboard/sdk` → dist/sdk/index.js) re-exports the SDK module.
	const entry = "export * from './lib/sdk/index.js';\n";
	await writeFile(join(outDir, 'index.js'), entry);
	await writeFile(join(outDir, 'index.d.ts'), entry);
	await verify();
	process.stdout.write(`build:sdk: wrote ${relative(root, outDir)}\n`);
}

await main();
