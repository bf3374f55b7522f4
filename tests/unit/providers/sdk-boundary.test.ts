import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../../../src');
const vendorImport =
	/(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"](@anthropic-ai\/sdk|openai|ollama)(?:\/[^'"]*)?['"]/;

function files(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
		e.isDirectory()
			? files(path.join(dir, e.name))
			: /\.(ts|js|svelte)$/.test(e.name)
				? [path.join(dir, e.name)]
				: []
	);
}

describe('vendor SDK boundary', () => {
	it('only src/lib/server/providers/ imports a vendor SDK', () => {
		const providers = path.join(root, 'lib/server/providers') + path.sep;
		const offenders = files(root).filter(
			(f) => !f.startsWith(providers) && vendorImport.test(readFileSync(f, 'utf8'))
		);
		expect(offenders.map((f) => path.relative(root, f))).toEqual([]);
	});
});
