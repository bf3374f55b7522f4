import { describe, expect, it } from 'vitest';
import { describeInputErrors } from './input-errors';

describe('describeInputErrors', () => {
	it('says each field with its first reason, the form-wide ones first', () => {
		expect(
			describeInputErrors({
				formErrors: ['Pick a model or an alias'],
				fieldErrors: { content: ['Messages are limited to 256 KB', 'ignored'], temperature: ['At most 2'] }
			})
		).toBe('Pick a model or an alias; content: Messages are limited to 256 KB; temperature: At most 2');
	});

	it('is undefined when there is nothing to say', () => {
		expect(describeInputErrors({ fieldErrors: { content: [] } })).toBeUndefined();
		expect(describeInputErrors({})).toBeUndefined();
	});
});
