import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { providerKindIds } from '$lib/schemas/provider-kinds';
import { providerKinds } from '$lib/server/providers/kinds';

const root = path.resolve(__dirname, '../../../src');
const providers = path.join(root, 'lib/server/providers');

/**
 * Where a kind's name may be written as a string: its own folder, the seed catalog (the built-in
 * rows) and the list of kinds. Tests are data, not code that branches.
 */
const allowed = [
	...providerKindIds.map((kind) => path.join(providers, kind) + path.sep),
	path.join(root, 'lib/server/db/seed-catalog.ts'),
	path.join(root, 'lib/schemas/provider-kinds.ts')
];

function files(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
		e.isDirectory()
			? files(path.join(dir, e.name))
			: /\.(ts|js|svelte)$/.test(e.name) && !/\.test\.ts$/.test(e.name)
				? [path.join(dir, e.name)]
				: []
	);
}

const escaped = providerKindIds.map((k) => k.replace(/[-]/g, '\\-')).join('|');
/** A kind's name as a whole string literal: `'ollama'`, "openai", `anthropic`. */
const kindLiteral = new RegExp(`(['"\`])(${escaped})\\1`);

function offenders(): string[] {
	return files(root)
		.filter((f) => !allowed.some((a) => f === a || f.startsWith(a)))
		.flatMap((f) =>
			readFileSync(f, 'utf8')
				.split('\n')
				.flatMap((line, i) =>
					kindLiteral.test(line) ? [`${path.relative(root, f)}:${i + 1}: ${line.trim()}`] : []
				)
		);
}

describe('provider kinds live in one place', () => {
	it('no code in src/ names a kind outside its folder, the seed catalog and the kind list', () => {
		expect(offenders()).toEqual([]);
	});

	it('the check sees a kind name in a component or a service', () => {
		const line = "const needsKey = provider.kind !== 'ollama';";
		expect(kindLiteral.test(line)).toBe(true);
		expect(kindLiteral.test("source: 'openai-api'")).toBe(false);
	});

	it('every kind in the list has its definition in the registry, and nothing else does', () => {
		expect(Object.keys(providerKinds).sort()).toEqual([...providerKindIds].sort());
		for (const kind of providerKindIds) expect(providerKinds[kind].kind).toBe(kind);
	});

	it('every kind in the list has its folder', () => {
		const folders = readdirSync(providers, { withFileTypes: true })
			.filter((e) => e.isDirectory())
			.map((e) => e.name);
		expect(folders).toEqual(expect.arrayContaining([...providerKindIds]));
	});
});
