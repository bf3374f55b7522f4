import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const script = fileURLToPath(new URL('./fixtures/image-library-loads.ts', import.meta.url));

describe('the image library (sharp, libvips)', () => {
	it('is loaded by the first image a server reads, not with the server', async () => {
		// In a process of its own: this worker may have loaded it for other tests already.
		const { stdout } = await run(process.execPath, ['--import', 'tsx', script]);
		expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toEqual({
			afterImport: false,
			afterImage: true,
			kind: 'image'
		});
	}, 60_000);
});
