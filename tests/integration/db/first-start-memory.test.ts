import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const script = fileURLToPath(new URL('./fixtures/open-rss.ts', import.meta.url));
const MB = 1024 * 1024;

/** The server's resident memory once it has opened DATA_DIR, in a process of its own. */
async function residentAfterOpening(dataDir: string): Promise<number> {
	const { stdout } = await run(process.execPath, ['--expose-gc', '--import', 'tsx', script, dataDir]);
	return (JSON.parse(stdout.trim().split('\n').at(-1)!) as { rss: number }).rss;
}

describe('a first start on embedded PGlite', () => {
	const root = mkdtempSync(path.join(os.tmpdir(), 'switchboard-first-start-'));
	const dataDir = path.join(root, 'data');
	let first = 0;
	let later = 0;
	beforeAll(async () => {
		first = await residentAfterOpening(dataDir);
		later = await residentAfterOpening(dataDir);
	}, 180_000);
	afterAll(() => rmSync(root, { recursive: true, force: true }));

	it('holds about what any later start holds: nothing initdb used stays behind', () => {
		// With initdb run in the serving thread, a first start held ~490 MB more than a later one
		// (929 against 441 MB); made in a thread that ends, ~110 MB more (434 against 312-329 MB, the
		// thread's memory kept by the C allocator); in a process that exits, 0-10 MB. With the schema's
		// migrations then applied by the serving thread, 20-60 MB (PGlite's WebAssembly memory never
		// shrinks); applied in that process too, -13 to 23 MB (five starts each, this machine).
		expect((first - later) / MB).toBeLessThan(60);
	});

	it("holds a buffer cache sized for a chat database, not Postgres' 128 MB default", () => {
		// PGlite's own default made this process hold 404-417 MB; 32 MB of shared buffers, 304-329 MB.
		expect(later / MB).toBeLessThan(370);
	});
});
