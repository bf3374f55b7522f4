import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FixtureName } from './script';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * The recorded streams: the in-repo copy (tests/fixtures/recorded) first, so tests never depend on
 * anything outside the clone; else the shared folder beside the repo.
 */
const directories = [
	path.resolve(here, '../fixtures/recorded'),
	path.resolve(here, '../../../shared/fixtures/recorded'),
	path.resolve('../shared/fixtures/recorded')
];

export function fixturePath(name: FixtureName): string {
	for (const dir of directories) {
		const file = path.join(dir, `${name}.jsonl`);
		if (existsSync(file)) return file;
	}
	throw new Error(`Recorded fixture ${name}.jsonl not found in ${directories.join(' or ')}`);
}

/** The fixture's JSON payloads, one per line, as the provider sent them. */
export function loadFixture(name: FixtureName): string[] {
	return readFileSync(fixturePath(name), 'utf8')
		.split('\n')
		.map((line) => line.trim())
		.filter(Boolean);
}
