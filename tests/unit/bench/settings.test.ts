import { describe, expect, it } from 'vitest';
import { parseSettings } from '../../../bench/lib/settings';

describe('bench settings', () => {
	it("runs the issue's ladder on both databases by default", () => {
		const settings = parseSettings([]);
		expect(settings.databases).toEqual(['pglite', 'postgres']);
		expect(settings.concurrency).toEqual([100, 500, 1000]);
		expect(settings.b3Concurrency).toEqual([100, 500, 1000]);
		expect(settings.settleS).toBe(10);
	});

	it('keeps the shape but not the size in quick mode, and explicit flags win', () => {
		const quick = parseSettings(['--quick', '--turns=7']);
		expect(quick.concurrency).toEqual([50, 100]);
		expect(quick.turns).toBe(7);
		expect(parseSettings(['--database=postgres', '--b3-concurrency=10']).databases).toEqual(['postgres']);
	});

	it('refuses an unknown database or a malformed number with a clear error', () => {
		expect(() => parseSettings(['--database=mysql'])).toThrow(/--database must be pglite, postgres/);
		expect(() => parseSettings(['--concurrency=100,lots'])).toThrow(/--concurrency must be a whole number/);
	});
});
