import { describe, expect, it } from 'vitest';
import { virtualWindow } from './virtual-window';

const hundred = Array.from({ length: 100 }, () => 100);

describe('virtualWindow', () => {
	it('renders what the viewport shows plus the overscan, and spacers for the rest', () => {
		const w = virtualWindow(hundred, { top: 5_000, height: 800, overscan: 400 });
		expect(w).toEqual({ start: 46, end: 62, before: 4_600, after: 3_800, total: 10_000 });
	});

	it('starts at the top and ends at the bottom without negative spacers', () => {
		expect(virtualWindow(hundred, { top: 0, height: 800, overscan: 400 })).toMatchObject({
			start: 0,
			end: 12,
			before: 0
		});
		expect(virtualWindow(hundred, { top: 9_200, height: 800, overscan: 400 })).toMatchObject({
			start: 88,
			end: 100,
			after: 0
		});
	});

	it('keeps the total of spacers and rendered items equal to the whole height', () => {
		const mixed = [50, 900, 120, 3_000, 40, 40, 700];
		for (const top of [0, 100, 1_000, 3_500, 4_800]) {
			const w = virtualWindow(mixed, { top, height: 600, overscan: 200 });
			const rendered = mixed.slice(w.start, w.end).reduce((a, b) => a + b, 0);
			expect(w.before + rendered + w.after).toBe(w.total);
			expect(w.end).toBeGreaterThan(w.start);
		}
	});

	it('renders one item taller than the viewport when the viewport is inside it', () => {
		expect(virtualWindow([100, 5_000, 100], { top: 2_000, height: 500, overscan: 0 })).toMatchObject({
			start: 1,
			end: 2
		});
	});

	it('keeps the last item when scrolled past the end of a list that shrank', () => {
		expect(virtualWindow([100, 100], { top: 5_000, height: 500, overscan: 0 })).toMatchObject({
			start: 1,
			end: 2,
			before: 100,
			after: 0
		});
		expect(virtualWindow([], { top: 0, height: 500, overscan: 0 })).toEqual({
			start: 0,
			end: 0,
			before: 0,
			after: 0,
			total: 0
		});
	});
});
