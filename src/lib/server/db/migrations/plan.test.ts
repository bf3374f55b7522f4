import { describe, expect, it } from 'vitest';
import type { Migration } from './journal.js';
import { splitStatements } from './journal.js';
import { currentVersion, MigrationPlanError, planMigrations, type AppliedRow } from './plan.js';

function migration(idx: number): Migration {
	const tag = `000${idx}_m${idx}`;
	return {
		idx,
		tag,
		when: 1000 + idx,
		hash: `h${idx}`,
		up: [`up ${idx}`],
		down: [`down ${idx}`],
		downSql: `down ${idx}`
	};
}

const known = [0, 1, 2].map(migration);
const row = (when: number, stored?: { tag: string; down: string | null }): AppliedRow => ({
	createdAt: when,
	storedTag: stored?.tag ?? null,
	storedDown: stored?.down ?? null
});
const atTwo = [row(1000), row(1001), row(1002)];
const plan = (applied: AppliedRow[], target?: number) =>
	planMigrations({ known, applied, target, split: splitStatements });
const describeSteps = (applied: AppliedRow[], target?: number) =>
	plan(applied, target).steps.map((s) => `${s.direction} ${s.idx}`);

function planError(work: () => unknown): MigrationPlanError {
	try {
		work();
	} catch (error) {
		if (error instanceof MigrationPlanError) return error;
		throw error;
	}
	throw new Error('expected a MigrationPlanError');
}

describe('planMigrations', () => {
	it('applies every known migration in order on an empty database', () => {
		expect(plan([])).toMatchObject({ current: -1, target: 2 });
		expect(describeSteps([])).toEqual(['up 0', 'up 1', 'up 2']);
	});

	it('has nothing to do at the latest version', () => {
		expect(describeSteps(atTwo)).toEqual([]);
		expect(plan(atTwo).current).toBe(2);
	});

	it('goes up to a target and no further', () => {
		expect(describeSteps([row(1000)], 1)).toEqual(['up 1']);
	});

	it('goes down in reverse order with the known down scripts', () => {
		const steps = plan(atTwo, 0).steps;
		expect(steps.map((s) => `${s.direction} ${s.idx}`)).toEqual(['down 2', 'down 1']);
		expect(steps[0]).toMatchObject({ direction: 'down', statements: ['down 2'], createdAt: 1002 });
	});

	it('goes down to -1, an empty database', () => {
		expect(describeSteps(atTwo, -1)).toEqual(['down 2', 'down 1', 'down 0']);
	});

	it('fills a gap left by a migration merged out of order', () => {
		expect(describeSteps([row(1000), row(1002)])).toEqual(['up 1']);
	});

	it('refuses targets outside what this version knows', () => {
		for (const target of [3, -2, 1.5]) {
			const error = planError(() => plan(atTwo, target));
			expect(error.code).toBe('bad-target');
			expect(error.message).toContain('knows migrations -1 (empty) to 2');
		}
	});

	describe('a database migrated by a newer version', () => {
		const newer = [
			...atTwo,
			row(1003, { tag: '0003_later', down: 'drop a;--> statement-breakpoint\ndrop b' })
		];

		it('refuses to move to latest, naming both versions and the way down', () => {
			const error = planError(() => plan(newer));
			expect(error.code).toBe('schema-too-new');
			expect(error.message).toBe(
				'The database schema is at migration 0003 (0003_later), newer than this version of Switchboard ' +
					'knows (0002). Run the newer version, or migrate down with: npm run db:migrate -- --to=2'
			);
		});

		it('migrates down with the down script the newer version stored', () => {
			const steps = plan(newer, 2).steps;
			expect(steps).toEqual([
				{ direction: 'down', idx: 3, tag: '0003_later', createdAt: 1003, statements: ['drop a;', 'drop b'] }
			]);
		});

		it('asks for the newer version when no down script was stored', () => {
			const unrecorded = [...atTwo, row(1003)];
			expect(planError(() => plan(unrecorded)).message).toContain(
				'migrate down with the newer version: npm run db:migrate -- --to=2'
			);
			const error = planError(() => plan(unrecorded, 2));
			expect(error.code).toBe('no-down-script');
			expect(error.message).toContain('run the version of Switchboard that added it');
		});
	});
});

describe('currentVersion', () => {
	it('is -1 on an empty database and the highest applied migration otherwise', () => {
		const at = (applied: AppliedRow[]) => currentVersion({ known, applied, split: splitStatements });
		expect(at([])).toEqual({ current: -1, tag: undefined });
		expect(at([row(1000), row(1001)])).toEqual({ current: 1, tag: '0001_m1' });
		expect(at([...atTwo, row(1004, { tag: '0004_x', down: null })])).toEqual({ current: 4, tag: '0004_x' });
	});
});
