// Types for print-type.mjs, so TypeScript callers (its tests) use it typed without checking its JavaScript.
import type ts from 'typescript';

export type TypePrinter = {
	/** The type written out self-contained; throws (naming `where`) on what cannot be. */
	print(type: ts.Type, where: string): string;
	checker: ts.TypeChecker;
};

export function createTypePrinter(program: ts.Program, options: { packages: string[] }): TypePrinter;
