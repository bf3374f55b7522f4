import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { TransferAdmission } from './transfer-admission';

describe('TransferAdmission', () => {
	it('runs one transfer per person and `limit` in all, and frees a place when one ends', () => {
		const admission = new TransferAdmission(2);
		const ada = admission.enter('ada');
		expect(() => admission.enter('ada')).toThrow(/Your previous import or export is still running/);
		const bob = admission.enter('bob');
		const refused = (() => {
			try {
				admission.enter('cy');
			} catch (error) {
				return error;
			}
		})();
		expect(refused).toBeInstanceOf(AppError);
		expect(refused).toMatchObject({ code: 'too_many_requests', retryAfterMs: 5_000 });
		ada();
		// Ending twice frees one place, not two.
		ada();
		const cy = admission.enter('cy');
		expect(() => admission.enter('dee')).toThrow(/Other imports and exports are running/);
		bob();
		cy();
		admission.enter('ada');
	});
});
