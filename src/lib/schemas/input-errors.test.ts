import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeInputErrors, issueMessage } from './input-errors';

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

describe('issueMessage', () => {
	it("gives a record key's own reason, not zod's 'Invalid key in record'", () => {
		const headers = z.record(
			z.string().refine((name) => name !== 'host', 'This header is set by Switchboard'),
			z.string()
		);
		const result = z.object({ headers }).safeParse({ headers: { host: 'evil.example' } });
		expect(z.flattenError(result.error!, issueMessage).fieldErrors).toEqual({
			headers: ['This header is set by Switchboard']
		});
		const plain = z.object({ n: z.number().max(2, 'At most 2') }).safeParse({ n: 3 });
		expect(z.flattenError(plain.error!, issueMessage).fieldErrors).toEqual({ n: ['At most 2'] });
	});
});
