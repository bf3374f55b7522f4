// Prints a checked type as a self-contained TypeScript type expression: every object, union and
// alias of the project is written out structurally, so the printed text names no project module and
// no package but the few the SDK package depends on (tRPC's types) and TypeScript's own lib.
// The SDK's declarations use it for what they import from outside src/lib/sdk (the router type,
// the zod-inferred schema types), so a consumer's `tsc` never loads zod, drizzle-orm or server code.
import ts from 'typescript';

const { TypeFlags, ObjectFlags, SymbolFlags } = ts;

const intrinsic = [
	[TypeFlags.Any, 'any'],
	[TypeFlags.Unknown, 'unknown'],
	[TypeFlags.String, 'string'],
	[TypeFlags.Number, 'number'],
	[TypeFlags.BigInt, 'bigint'],
	[TypeFlags.Boolean, 'boolean'],
	[TypeFlags.ESSymbol, 'symbol'],
	[TypeFlags.Void, 'void'],
	[TypeFlags.Undefined, 'undefined'],
	[TypeFlags.Null, 'null'],
	[TypeFlags.Never, 'never'],
	[TypeFlags.NonPrimitive, 'object']
];

const identifier = /^[A-Za-z_$][\w$]*$/;

/** A property key as TypeScript source: bare when it is an identifier, quoted otherwise. */
const propertyKey = (name) => (identifier.test(name) ? name : JSON.stringify(name));

/**
 * @param {ts.Program} program
 * @param {{ packages: string[] }} options module specifiers (with subpaths) whose exported types may
 *   be named in the output, e.g. '@trpc/server'; a type from any other package is an error.
 */
export function createTypePrinter(program, { packages }) {
	const checker = program.getTypeChecker();
	const packageExports = new Map();

	/** The package specifier that exports `symbol`, among the allowed ones. */
	function packageExporting(symbol) {
		for (const specifier of packages) {
			if (!packageExports.has(specifier)) packageExports.set(specifier, exportsOf(specifier));
			const exported = packageExports.get(specifier);
			const name = exported.get(symbol);
			if (name) return { specifier, name };
		}
		return null;
	}

	function exportsOf(specifier) {
		const found = new Map();
		const resolved = ts.resolveModuleName(
			specifier,
			program.getRootFileNames()[0],
			program.getCompilerOptions(),
			ts.sys
		).resolvedModule;
		const file = resolved && program.getSourceFile(resolved.resolvedFileName);
		const moduleSymbol = file && checker.getSymbolAtLocation(file);
		if (!moduleSymbol) return found;
		for (const exported of checker.getExportsOfModule(moduleSymbol)) {
			const target = exported.flags & SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
			if (!found.has(target)) found.set(target, exported.name);
		}
		return found;
	}

	const declaredIn = (symbol) => symbol?.declarations?.map((d) => d.getSourceFile()) ?? [];
	const isLibSymbol = (symbol) => {
		const files = declaredIn(symbol);
		return files.length > 0 && files.every((f) => program.isSourceFileDefaultLibrary(f));
	};

	/**
	 * @param {ts.Type} type
	 * @param {string} where a path for error messages (`chats.list output.items`)
	 */
	function print(type, where, seen = new Set()) {
		// A named type from an allowed package stays a reference (tRPC's TrackedData, for instance);
		// any other alias (zod's flattened error, the project's own) is written out below.
		const alias = type.aliasSymbol;
		if (alias && packageExporting(alias)) return reference(alias, type.aliasTypeArguments, where, seen);
		for (const [flag, name] of intrinsic)
			if (type.flags & flag && !(type.flags & TypeFlags.Union)) return name;
		if (type.flags & TypeFlags.StringLiteral) return JSON.stringify(type.value);
		if (type.flags & TypeFlags.NumberLiteral) return String(type.value);
		if (type.flags & TypeFlags.BooleanLiteral) return checker.typeToString(type);
		if (type.flags & TypeFlags.BigIntLiteral)
			return `${type.value.negative ? '-' : ''}${type.value.base10Value}n`;
		if (type.flags & TypeFlags.TemplateLiteral) return checker.typeToString(type);
		if (type.flags & TypeFlags.Union) return printUnion(type, where, seen);
		if (type.flags & TypeFlags.Intersection) {
			return type.types.map((t) => wrap(print(t, where, seen))).join(' & ');
		}
		if (type.flags & TypeFlags.Object) return printObject(type, where, seen);
		throw new Error(`${where}: cannot write the type ${checker.typeToString(type)} self-contained`);
	}

	function printUnion(type, where, seen) {
		const members = type.types;
		const hasTrue = members.some(
			(t) => t.flags & TypeFlags.BooleanLiteral && checker.typeToString(t) === 'true'
		);
		const hasFalse = members.some(
			(t) => t.flags & TypeFlags.BooleanLiteral && checker.typeToString(t) === 'false'
		);
		const parts = [];
		for (const member of members) {
			if (hasTrue && hasFalse && member.flags & TypeFlags.BooleanLiteral) {
				if (!parts.includes('boolean')) parts.push('boolean');
				continue;
			}
			parts.push(wrap(print(member, where, seen)));
		}
		return parts.join(' | ');
	}

	function reference(symbol, typeArguments, where, seen) {
		const args = typeArguments?.length
			? `<${typeArguments.map((t) => print(t, where, seen)).join(', ')}>`
			: '';
		if (isLibSymbol(symbol)) return `${symbol.name}${args}`;
		const exported = packageExporting(symbol);
		if (!exported) {
			const file = declaredIn(symbol)[0]?.fileName ?? 'an unknown file';
			throw new Error(
				`${where}: ${symbol.name} comes from ${file}, which the SDK package does not depend on`
			);
		}
		return `import(${JSON.stringify(exported.specifier)}).${exported.name}${args}`;
	}

	function printObject(type, where, seen) {
		if (checker.isTupleType(type)) return printTuple(type, where, seen);
		if (checker.isArrayType(type)) {
			const [element] = checker.getTypeArguments(type);
			const readonly = type.symbol?.name === 'ReadonlyArray' ? 'readonly ' : '';
			return `${readonly}${wrap(print(element, where, seen))}[]`;
		}
		const symbol = type.symbol;
		// Date, Promise, AsyncIterable…: TypeScript's own types, by name.
		if (symbol && isLibSymbol(symbol) && symbol.name !== '__type' && symbol.name !== '__object') {
			const args = type.objectFlags & ObjectFlags.Reference ? checker.getTypeArguments(type) : undefined;
			return reference(symbol, args, where, seen);
		}
		if (symbol && packageExporting(symbol)) {
			const args = type.objectFlags & ObjectFlags.Reference ? checker.getTypeArguments(type) : undefined;
			return reference(symbol, args, where, seen);
		}
		if (seen.has(type)) throw new Error(`${where}: a recursive type cannot be written out`);
		const inner = new Set(seen).add(type);
		const signatures = type.getCallSignatures();
		const indexInfos = checker.getIndexInfosOfType(type);
		const properties = checker.getPropertiesOfType(type);
		if (signatures.length === 1 && !indexInfos.length && !properties.length) {
			const { params, returns } = printSignature(signatures[0], where, inner);
			return `(${params}) => ${returns}`;
		}
		const members = signatures.map((signature) => {
			const { params, returns } = printSignature(signature, where, inner);
			return `(${params}): ${returns}`;
		});
		for (const info of indexInfos) {
			const readonly = info.isReadonly ? 'readonly ' : '';
			members.push(
				`${readonly}[key: ${print(info.keyType, where, inner)}]: ${print(info.type, where, inner)}`
			);
		}
		for (const property of properties) {
			members.push(printProperty(property, `${where}.${property.name}`, inner));
		}
		return members.length ? `{ ${members.join('; ')} }` : '{}';
	}

	function printProperty(property, where, seen) {
		const optional = property.flags & SymbolFlags.Optional ? '?' : '';
		const readonly = property.declarations?.some(
			(d) => ts.getCombinedModifierFlags(d) & ts.ModifierFlags.Readonly
		)
			? 'readonly '
			: '';
		const type = checker.getTypeOfSymbol(property);
		// An optional property's type includes `undefined` already; `?` says it again, harmlessly.
		return `${readonly}${propertyKey(property.name)}${optional}: ${print(type, where, seen)}`;
	}

	function printSignature(signature, where, seen) {
		if (signature.typeParameters?.length)
			throw new Error(`${where}: generic functions cannot be written out`);
		const params = signature.parameters.map((p) => {
			const declaration = p.valueDeclaration;
			const optional = declaration && ts.isParameter(declaration) && declaration.questionToken ? '?' : '';
			const rest = declaration && ts.isParameter(declaration) && declaration.dotDotDotToken ? '...' : '';
			return `${rest}${p.name}${optional}: ${print(checker.getTypeOfSymbol(p), where, seen)}`;
		});
		return { params: params.join(', '), returns: print(signature.getReturnType(), where, seen) };
	}

	function printTuple(type, where, seen) {
		const target = type.target;
		const elements = checker.getTypeArguments(type).map((element, i) => {
			const flags = target.elementFlags[i];
			const printed = print(element, where, seen);
			if (flags & ts.ElementFlags.Rest) return `...${wrap(printed)}[]`;
			if (flags & ts.ElementFlags.Optional) return `${wrap(printed)}?`;
			return printed;
		});
		return `${target.readonly ? 'readonly ' : ''}[${elements.join(', ')}]`;
	}

	return { print, checker };
}

/**
 * Parenthesises a union, intersection or function type where another operator binds to it: looks
 * for `|`, `&` or `=>` outside brackets and string literals.
 */
function wrap(text) {
	let depth = 0;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (c === '"') {
			// Skip a JSON-quoted literal, escapes included.
			for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
		} else if ('{[(<'.includes(c)) depth++;
		else if ('}])>'.includes(c) && text[i - 1] !== '=') depth--;
		else if (depth === 0 && (c === '|' || c === '&' || (c === '=' && text[i + 1] === '>'))) {
			return `(${text})`;
		}
	}
	return text;
}
