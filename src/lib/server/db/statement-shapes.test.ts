import { is, Placeholder } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { shape, shapeParts, shapeRows } from './statement-shapes';

const placeholderName = (value: unknown) => (is(value, Placeholder) ? value.name : value);

describe('shape', () => {
	it('puts a placeholder where each value was, leaves out undefined and keeps null in the template', () => {
		const shaped = shape('c_', { title: 'Hi', error: null, seed: undefined, updatedAt: new Date(0) });
		expect(
			Object.fromEntries(Object.entries(shaped.template()).map(([k, v]) => [k, placeholderName(v)]))
		).toEqual({
			title: 'c_title',
			error: null,
			updatedAt: 'c_updatedAt'
		});
		expect(shaped.values).toEqual({ c_title: 'Hi', c_updatedAt: new Date(0) });
		expect(shaped.key).toBe('error=null,title,updatedAt');
	});

	it('gives the same key to the same fields in any order, and another to a null in place of a value', () => {
		expect(shape('', { a: 1, b: 'x' }).key).toBe(shape('', { b: 'y', a: 2 }).key);
		expect(shape('', { a: 1, b: null }).key).not.toBe(shape('', { a: 1, b: 'x' }).key);
		expect(shape('', { a: 1 }).key).not.toBe(shape('', { a: 1, b: 'x' }).key);
	});
});

describe('shapeRows and shapeParts', () => {
	it('name each row’s placeholders apart and count the rows in the key', () => {
		const rows = shapeRows('m', [{ content: 'q' }, { content: '' }]);
		expect(rows.values).toEqual({ m0_content: 'q', m1_content: '' });
		expect(rows.template().map((r) => placeholderName(r.content))).toEqual(['m0_content', 'm1_content']);
		expect(shapeRows('m', [{ content: 'q' }]).key).not.toBe(rows.key);
	});

	it('join parts into one template, one key and all the values', () => {
		const parts = shapeParts({ where: shape('w_', { id: 'a' }), rows: shapeRows('u', [{ n: 1 }]) });
		expect(placeholderName(parts.template().where.id)).toBe('w_id');
		expect(placeholderName(parts.template().rows[0].n)).toBe('u0_n');
		expect(parts.values).toEqual({ w_id: 'a', u0_n: 1 });
		expect(parts.key).toBe('where{id}rows{[n]}');
		expect(shapeParts({ where: shape('w_', { id: 'a' }), rows: shapeRows('u', []) }).key).not.toBe(parts.key);
	});
});
