import { afterEach, describe, expect, it, vi } from 'vitest';
import { maintenanceDue, scheduleMaintenance, type TableActivity } from './pglite-maintenance';

const table = (over: Partial<TableActivity>): TableActivity => ({
	table: 't',
	liveRows: 1_000,
	deadRows: 0,
	insertedSinceVacuum: 0,
	modifiedSinceAnalyze: 0,
	estimatedRows: 1_000,
	...over
});

describe('maintenanceDue', () => {
	it("applies autovacuum's default thresholds", () => {
		expect(
			maintenanceDue([
				table({ table: 'quiet', deadRows: 250, modifiedSinceAnalyze: 150, insertedSinceVacuum: 1_200 }),
				table({ table: 'dead', deadRows: 251 }),
				table({ table: 'appended', insertedSinceVacuum: 1_201 }),
				table({ table: 'changed', modifiedSinceAnalyze: 151 })
			])
		).toEqual([
			{ table: 'dead', vacuum: true, analyze: false },
			{ table: 'appended', vacuum: true, analyze: false },
			{ table: 'changed', vacuum: false, analyze: true }
		]);
	});

	it('analyzes a table with rows that never had statistics, and leaves an empty one alone', () => {
		expect(
			maintenanceDue([
				table({ table: 'never', liveRows: 10, estimatedRows: -1 }),
				table({ table: 'empty', liveRows: 0, estimatedRows: -1 })
			])
		).toEqual([{ table: 'never', vacuum: false, analyze: true }]);
	});
});

describe('scheduleMaintenance', () => {
	afterEach(() => {
		vi.useRealTimers();
	});

	it('runs after the first delay, then an interval after each pass ends, and stops after the running one', async () => {
		vi.useFakeTimers();
		let runs = 0;
		let finish: () => void = () => {};
		const pass = () => {
			runs++;
			return new Promise<void>((resolve) => (finish = resolve));
		};
		const stop = scheduleMaintenance(pass, { firstMs: 1_000, intervalMs: 5_000 });
		await vi.advanceTimersByTimeAsync(999);
		expect(runs).toBe(0);
		await vi.advanceTimersByTimeAsync(1);
		expect(runs).toBe(1);
		// A long pass: the next is counted from its end, so two never overlap.
		await vi.advanceTimersByTimeAsync(20_000);
		expect(runs).toBe(1);
		finish();
		await vi.advanceTimersByTimeAsync(4_999);
		expect(runs).toBe(1);
		await vi.advanceTimersByTimeAsync(1);
		expect(runs).toBe(2);
		let stopped = false;
		const stopping = stop().then(() => (stopped = true));
		await vi.advanceTimersByTimeAsync(0);
		expect(stopped).toBe(false);
		finish();
		await stopping;
		await vi.advanceTimersByTimeAsync(60_000);
		expect(runs).toBe(2);
	});

	it('waits for a quiet moment, but no longer than an interval', async () => {
		vi.useFakeTimers();
		let busy = true;
		let runs = 0;
		const stop = scheduleMaintenance(
			async () => {
				runs++;
			},
			{ firstMs: 1_000, intervalMs: 60_000, idle: () => !busy, idleCheckMs: 5_000 }
		);
		await vi.advanceTimersByTimeAsync(1_000 + 20_000);
		expect(runs).toBe(0);
		busy = false;
		await vi.advanceTimersByTimeAsync(5_000);
		expect(runs).toBe(1);
		// Busy from then on: the next pass is due 60 s later and runs 60 s after that all the same.
		busy = true;
		await vi.advanceTimersByTimeAsync(60_000 + 55_000);
		expect(runs).toBe(1);
		await vi.advanceTimersByTimeAsync(5_000);
		expect(runs).toBe(2);
		await stop();
	});

	it('keeps going after a failed pass', async () => {
		vi.useFakeTimers();
		let runs = 0;
		const stop = scheduleMaintenance(
			async () => {
				runs++;
				throw new Error('the database is busy');
			},
			{ firstMs: 10, intervalMs: 100 }
		);
		await vi.advanceTimersByTimeAsync(210);
		expect(runs).toBe(3);
		await stop();
	});
});
