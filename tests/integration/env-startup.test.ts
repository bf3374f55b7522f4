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

describe('npm start with WORKERS', () => {
	const start = (env: Record<string, string>) =>
		spawnSync(process.execPath, ['scripts/start.mjs'], {
			env: { ...process.env, DATABASE_URL: '', REDIS_URL: '', ...env },
			encoding: 'utf8',
			timeout: 20_000
		});

	it('refuses several workers without Postgres and Redis, in one line', () => {
		const result = start({ WORKERS: '2', DATABASE_URL: 'postgres://x@127.0.0.1:1/x' });
		expect(result.status).toBe(1);
		expect(result.stderr.trim().split('\n')).toEqual([
			'WORKERS=2 needs DATABASE_URL (PostgreSQL) and REDIS_URL: processes share data through Postgres and live answers, stops and limits through Redis.'
		]);
	});

	it('refuses a WORKERS that is not a count', () => {
		const result = start({ WORKERS: 'many' });
		expect(result.status).toBe(1);
		expect(result.stderr.trim()).toBe(
			'Invalid environment variable WORKERS: must be a whole number from 1 to 64 (got "many")'
		);
	});
});
