import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';

describe('start-up with a bad environment', () => {
	it('prints one line naming the variable and exits non-zero', () => {
		const result = spawnSync(
			process.execPath,
			['--import', 'tsx', '-e', "await import('./src/lib/server/env.ts')"],
			{ env: { ...process.env, PORT: 'abc', DATABASE_URL: '' }, encoding: 'utf8', timeout: 20_000 }
		);
		expect(result.status).toBe(1);
		const lines = result.stderr.trim().split('\n');
		expect(lines).toEqual(['Invalid environment variable PORT: must be a port number (got "abc")']);
	});
});
