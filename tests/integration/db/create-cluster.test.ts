import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '$lib/server/db/client';

describe('creating the embedded cluster (in a process of its own)', () => {
	const root = mkdtempSync(path.join(os.tmpdir(), 'switchboard-create-cluster-'));
	afterAll(() => rmSync(root, { recursive: true, force: true }));

	it("fails the start with the directory and the file system's reason", async () => {
		// Files where initdb makes directories: the cluster cannot be made there.
		mkdirSync(path.join(root, 'pglite'));
		for (const name of ['base', 'global']) writeFileSync(path.join(root, 'pglite', name), 'x');
		const opening = openDatabase({ dataDir: root });
		await expect(opening).rejects.toThrow(
			`Could not create the embedded database in ${path.join(root, 'pglite')}: ErrnoError`
		);
	}, 60_000);
});
