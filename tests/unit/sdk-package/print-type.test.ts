import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTypePrinter, type TypePrinter } from '../../../scripts/sdk/print-type.mjs';

/*
 * The SDK package's declarations write the router and schema types out with this printer: what it
 * prints must name no project module and mean the same type.
 */
const source = `
type Role = 'admin' | 'member';
interface Row { id: string; role: Role; note?: string | null; readonly at: Date }
export type Alias = Row;
export type Nested = { items: Row[]; pair: readonly [number, string?]; flags: ReadonlyArray<boolean>; map: Record<string, number> };
export type Odd = { 'kebab-key': 'a|b' | 'c'; fn: (x: number) => string; fns: Array<() => void> };
export type Maybe = boolean | null;
export type Recursive = { children: Recursive[] };
export type FromPromise = Promise<{ ok: true }>;
`;

let dir: string;
let printer: TypePrinter;
let file: ts.SourceFile;

function printed(name: string): string {
	const symbol = printer.checker
		.getExportsOfModule(printer.checker.getSymbolAtLocation(file)!)
		.find((s) => s.name === name)!;
	return printer.print(printer.checker.getDeclaredTypeOfSymbol(symbol), name);
}

beforeAll(async () => {
	dir = await mkdtemp(join(tmpdir(), 'print-type-'));
	const path = join(dir, 'types.ts');
	await writeFile(path, source);
	const program = ts.createProgram([path], { strict: true, noEmit: true, lib: ['lib.es2022.d.ts'] });
	printer = createTypePrinter(program, { packages: [] });
	file = program.getSourceFile(path)!;
});

afterAll(async () => {
	await rm(dir, { recursive: true, force: true });
});

describe('createTypePrinter', () => {
	it('writes aliases and interfaces out structurally, keeping optional and readonly', () => {
		expect(printed('Alias')).toBe(
			'{ id: string; role: "admin" | "member"; note?: undefined | null | string; readonly at: Date }'
		);
	});

	it('writes arrays, tuples, readonly arrays and records', () => {
		const text = printed('Nested');
		expect(text).toContain('pair: readonly [number, (undefined | string)?]');
		expect(text).toContain('flags: readonly boolean[]');
		expect(text).toContain('map: { [key: string]: number }');
		expect(text).toMatch(/items: \{ id: string;.*\}\[\]/);
	});

	it('quotes keys that are not identifiers and parenthesises functions inside arrays', () => {
		const text = printed('Odd');
		expect(text).toContain('"kebab-key": "a|b" | "c"');
		expect(text).toContain('fn: (x: number) => string');
		expect(text).toContain('fns: (() => void)[]');
	});

	it('says boolean for true | false, and names TypeScript lib types', () => {
		expect(printed('Maybe')).toMatch(/^(null \| boolean|boolean \| null)$/);
		expect(printed('FromPromise')).toBe('Promise<{ ok: true }>');
	});

	it('refuses a recursive type rather than printing forever', () => {
		expect(() => printed('Recursive')).toThrow(/recursive/);
	});

	it('prints text that TypeScript accepts as the same type', () => {
		const names = ['Alias', 'Nested', 'Odd', 'Maybe', 'FromPromise'];
		const check = names
			.map(
				(n) =>
					`type P${n} = ${printed(n)};\nexport const ${n.toLowerCase()}: [P${n}, ${n}] extends [${n}, P${n}] ? true : false = true;`
			)
			.join('\n');
		const path = join(dir, 'check.ts');
		const host = ts.createCompilerHost({});
		const program = ts.createProgram({
			rootNames: [path],
			options: { strict: true, noEmit: true, lib: ['lib.es2022.d.ts'] },
			host: {
				...host,
				getSourceFile: (name, version) =>
					name === path
						? ts.createSourceFile(name, `${source}\n${check}`, version)
						: host.getSourceFile(name, version),
				fileExists: (name) => name === path || host.fileExists(name)
			}
		});
		const diagnostics = ts
			.getPreEmitDiagnostics(program)
			.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
		expect(diagnostics).toEqual([]);
	});
});
