import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { failedForm } from './form';

describe('failedForm', () => {
	it("puts an application error's message on its field, with its status", () => {
		const failure = failedForm(new AppError('conflict', 'That email is taken.', { field: 'email' }), {
			email: 'a@b.c'
		});
		expect(failure.status).toBe(409);
		expect(failure.data).toEqual({
			values: { email: 'a@b.c' },
			errors: { email: 'That email is taken.' },
			message: null,
			scope: null
		});
	});

	it('refuses a field the database cannot store (a NUL) as a bad request, not a server failure', () => {
		const refused = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), {
			code: '22021'
		});
		const failure = failedForm(new Error('Failed query', { cause: refused }), { name: 'Ada' });
		expect(failure.status).toBe(400);
		expect(failure.data.message).toMatch(/NUL character \(U\+0000\)/);
	});

	it('lets any other error through, to be reported as the server failure it is', () => {
		expect(() => failedForm(new Error('a bug'), {})).toThrow('a bug');
	});
});
