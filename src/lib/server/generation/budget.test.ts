import { describe, expect, it } from 'vitest';
import { plainCaller } from '../auth/caller';
import { limitsFor, monthStart, nextReset, overBudget, refusalMessage } from './budget';

const member = plainCaller({ id: 'u', role: 'member' });
const admin = plainCaller({ id: 'a', role: 'admin' });

describe('budget periods', () => {
	it('run from the first day of the month to the first of the next, in UTC', () => {
		const now = new Date('2026-12-31T23:30:00-05:00'); // already January in UTC
		expect(monthStart(now).toISOString()).toBe('2027-01-01T00:00:00.000Z');
		expect(nextReset(now).toISOString()).toBe('2027-02-01T00:00:00.000Z');
		expect(nextReset(new Date('2026-12-02T03:00:00Z')).toISOString()).toBe('2027-01-01T00:00:00.000Z');
	});
});

describe('limitsFor', () => {
	it("gives members the default, admins none, and a user's own budget wins", () => {
		expect(limitsFor(member, '2.5')).toEqual({ user: 2.5, token: null });
		expect(limitsFor(admin, '2.5')).toEqual({ user: null, token: null });
		expect(limitsFor({ ...admin, budgetUsd: '1' }, '2.5')).toEqual({ user: 1, token: null });
		expect(limitsFor({ ...member, budgetUsd: '0', tokenBudgetUsd: '0.5' }, null)).toEqual({
			user: 0,
			token: 0.5
		});
	});
});

describe('overBudget', () => {
	const now = new Date('2026-12-02T03:00:00Z');
	it('refuses once the spend reached a limit, the user before the token, and never under it', () => {
		expect(overBudget({ user: 1, token: null }, { user: 0.99, token: 0 }, now)).toBeNull();
		expect(overBudget({ user: 1, token: 0.1 }, { user: 1, token: 0.2 }, now)).toMatchObject({
			scope: 'user',
			spentUsd: 1
		});
		const refusal = overBudget({ user: null, token: 0.1 }, { user: 5, token: 0.1 }, now)!;
		expect(refusal).toEqual({
			reason: 'over_budget',
			scope: 'token',
			spentUsd: 0.1,
			limitUsd: 0.1,
			resetsAt: '2027-01-01T00:00:00.000Z'
		});
		expect(refusalMessage(refusal)).toBe(
			"This API token's monthly budget is used up: $0.1 spent of $0.1. It resets on 2027-01-01 (UTC)."
		);
		expect(refusalMessage({ ...refusal, scope: 'user', spentUsd: 12.345, limitUsd: 10 })).toBe(
			'Your monthly budget is used up: $12.35 spent of $10.00. It resets on 2027-01-01 (UTC).'
		);
	});
});
