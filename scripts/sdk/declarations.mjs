// The SDK package's declarations. The SDK's own modules (src/lib/sdk) keep their emitted .d.ts;
// what they import from elsewhere in src (the router type, the zod-inferred schema types) is
// replaced by a generated module holding only those names, written out structurally by
// print-type.mjs. So a consumer's `tsc` (even with skipLibCheck off) reads the SDK, tRPC and
// TypeScript's lib, and never zod, drizzle-orm or any server module.
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { createTypePrinter } from './print-type.mjs';

/** Type-only packages the declarations may name: all dependencies of the SDK package. */
const typePackages = ['@trpc/server', '@trpc/server/unstable-core-do-not-import', '@trpc/client'];

/**
 * @param {{ program: ts.Program, srcDir: string, sdkDir: string, outDir: string }} options
 * @returns {Map<string, string>} output path -> text
 */
export function buildDeclarations({ program, srcDir, sdkDir, outDir }) {
	const options = program.getCompilerOptions();
	const outputPath = (source) => join(outDir, relative(srcDir, source)).replace(/\.(m|c)?tsx?$/, '.d.ts');
	const isSdkFile = (file) => resolve(file).startsWith(sdkDir + sep);
	/** Foreign module file -> names the SDK's declarations take from it. */
	const foreign = new Map();
	const outputs = new Map();

	function resolveOwn(specifier, fromSource) {
		const { resolvedModule } = ts.resolveModuleName(specifier, fromSource, options, ts.sys);
		if (!resolvedModule || resolvedModule.isExternalLibraryImport) return null;
		const target = resolve(resolvedModule.resolvedFileName);
		if (!target.startsWith(srcDir + sep)) throw new Error(`${fromSource} imports ${specifier}, outside src/`);
		return target;
	}

	function note(target, names, fromSource, specifier) {
		if (isSdkFile(target)) return;
		if (!names) {
			throw new Error(
				`${fromSource}: a namespace, default or \`*\` import of '${specifier}' cannot ship; import names`
			);
		}
		const set = foreign.get(target) ?? new Set();
		for (const name of names) set.add(name);
		foreign.set(target, set);
	}

	/** The names an import takes; null when it takes a whole module (namespace or default). */
	const namedBindings = (clause) => {
		if (!clause) return [];
		const bindings = clause.namedBindings;
		if (clause.name || (bindings && ts.isNamespaceImport(bindings))) return null;
		return bindings ? bindings.elements.map((e) => (e.propertyName ?? e.name).text) : [];
	};

	function transformer(fromSource) {
		return (context) => {
			const { factory } = context;
			const rewrite = (literal, names) => {
				const target = resolveOwn(literal.text, fromSource);
				if (!target) return literal;
				note(target, names, fromSource, literal.text);
				let path = relative(dirname(outputPath(fromSource)), outputPath(target)).replace(/\.d\.ts$/, '.js');
				path = path.split(sep).join('/');
				return factory.createStringLiteral(path.startsWith('.') ? path : `./${path}`);
			};
			const visit = (node) => {
				if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
					const specifier = rewrite(node.moduleSpecifier, namedBindings(node.importClause));
					return factory.updateImportDeclaration(
						node,
						node.modifiers,
						node.importClause,
						specifier,
						node.attributes
					);
				}
				if (
					ts.isExportDeclaration(node) &&
					node.moduleSpecifier &&
					ts.isStringLiteral(node.moduleSpecifier)
				) {
					const clause = node.exportClause;
					const names =
						clause && ts.isNamedExports(clause)
							? clause.elements.map((e) => (e.propertyName ?? e.name).text)
							: null;
					const specifier = rewrite(node.moduleSpecifier, names);
					return factory.updateExportDeclaration(
						node,
						node.modifiers,
						node.isTypeOnly,
						clause,
						specifier,
						node.attributes
					);
				}
				if (
					ts.isImportTypeNode(node) &&
					ts.isLiteralTypeNode(node.argument) &&
					ts.isStringLiteral(node.argument.literal)
				) {
					const qualifier =
						node.qualifier && (ts.isIdentifier(node.qualifier) ? node.qualifier : leftmost(node.qualifier));
					const literal = rewrite(node.argument.literal, qualifier ? [qualifier.text] : null);
					const argument = factory.updateLiteralTypeNode(node.argument, literal);
					return factory.updateImportTypeNode(
						node,
						argument,
						node.attributes,
						node.qualifier,
						ts.visitNodes(node.typeArguments, visit),
						node.isTypeOf
					);
				}
				return ts.visitEachChild(node, visit, context);
			};
			return (file) => ts.visitNode(file, visit);
		};
	}

	const sdkSources = program
		.getSourceFiles()
		.filter((sf) => !sf.isDeclarationFile && isSdkFile(sf.fileName) && !/\.test\.ts$/.test(sf.fileName));
	const emitErrors = [];
	for (const sourceFile of sdkSources) {
		const result = program.emit(
			sourceFile,
			(fileName, text) => {
				if (fileName.endsWith('.d.ts')) outputs.set(fileName, text);
			},
			undefined,
			true,
			{ afterDeclarations: [transformer(sourceFile.fileName)] }
		);
		emitErrors.push(...result.diagnostics);
	}
	if (emitErrors.length) {
		throw new Error(
			ts.formatDiagnostics(emitErrors, {
				getCanonicalFileName: (f) => f,
				getCurrentDirectory: () => srcDir,
				getNewLine: () => '\n'
			})
		);
	}

	const printer = createTypePrinter(program, { packages: typePackages });
	for (const [file, names] of foreign) {
		outputs.set(
			outputPath(file),
			foreignModule(printer, program, file, [...names].sort(), relative(dirname(srcDir), file))
		);
	}
	return outputs;
}

function leftmost(name) {
	return ts.isIdentifier(name) ? name : leftmost(name.left);
}

/** A generated stand-in for a module outside the SDK: only `names`, each written out structurally. */
function foreignModule(printer, program, file, names, displayPath) {
	const { checker } = printer;
	const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(file));
	const exports = new Map(checker.getExportsOfModule(moduleSymbol).map((s) => [s.name, s]));
	const lines = [
		`// Generated by scripts/build-sdk.mjs: the names the SDK takes from ${displayPath}, written out.`
	];
	for (const name of names) {
		let symbol = exports.get(name);
		if (!symbol) throw new Error(`${displayPath} has no export ${name}`);
		if (symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
		const where = `${displayPath} ${name}`;
		if (symbol.flags & (ts.SymbolFlags.TypeAlias | ts.SymbolFlags.Interface)) {
			const type = checker.getDeclaredTypeOfSymbol(symbol);
			const parameters = symbol.declarations?.[0]?.typeParameters;
			if (parameters?.length) throw new Error(`${where}: generic types cannot be written out`);
			const text = isRouter(checker, type) ? printRouter(printer, type, where) : printer.print(type, where);
			lines.push(`export type ${name} = ${text};`);
		}
		if (symbol.flags & ts.SymbolFlags.Value) {
			lines.push(`export declare const ${name}: ${printer.print(checker.getTypeOfSymbol(symbol), where)};`);
		}
	}
	return `${lines.join('\n')}\n`;
}

function property(checker, type, name) {
	const symbol = checker.getPropertyOfType(type, name);
	return symbol ? checker.getTypeOfSymbol(symbol) : null;
}

const defHas = (checker, type, marker) => {
	const def = property(checker, type, '_def');
	return Boolean(def && checker.getPropertyOfType(def, marker));
};
const isRouter = (checker, type) => defHas(checker, type, 'router') && defHas(checker, type, 'record');
const isProcedure = (checker, type) => defHas(checker, type, 'procedure');

/**
 * A tRPC router as the client needs it: the procedures' kinds, inputs and outputs, the error shape
 * and the transformer flag. The context type (services, the database) stays on the server.
 */
function printRouter(printer, type, where) {
	const { checker, print } = printer;
	const def = property(checker, type, '_def');
	const root = property(checker, property(checker, def, '_config'), '$types');
	const errorShape = print(property(checker, root, 'errorShape'), `${where} errorShape`);
	const transformer = print(property(checker, root, 'transformer'), `${where} transformer`);
	const record = printRecord(printer, property(checker, def, 'record'), where);
	return `import("@trpc/server").TRPCBuiltRouter<{ ctx: object; meta: object; errorShape: ${errorShape}; transformer: ${transformer} }, ${record}>`;
}

const procedureKinds = {
	query: 'TRPCQueryProcedure',
	mutation: 'TRPCMutationProcedure',
	subscription: 'TRPCSubscriptionProcedure'
};

function printRecord(printer, record, where) {
	const { checker, print } = printer;
	const entries = checker.getPropertiesOfType(record).map((symbol) => {
		const type = checker.getTypeOfSymbol(symbol);
		const path = `${where}.${symbol.name}`;
		if (!isProcedure(checker, type)) {
			const inner = isRouter(checker, type)
				? property(checker, property(checker, type, '_def'), 'record')
				: type;
			return `${symbol.name}: ${printRecord(printer, inner, path)}`;
		}
		const def = property(checker, type, '_def');
		const kind = property(checker, def, 'type');
		const generic = kind && kind.flags & ts.TypeFlags.StringLiteral && procedureKinds[kind.value];
		if (!generic) throw new Error(`${path}: unknown procedure kind ${kind && checker.typeToString(kind)}`);
		const types = property(checker, def, '$types');
		const input = print(property(checker, types, 'input'), `${path} input`);
		const output = print(property(checker, types, 'output'), `${path} output`);
		return `${symbol.name}: import("@trpc/server").${generic}<{ input: ${input}; output: ${output}; meta: object }>`;
	});
	return `{ ${entries.join('; ')} }`;
}
