import { describe, expect, it } from 'vitest';
import {
	checkSequence,
	difference,
	formatRatio,
	formatSigned,
	gaps,
	percentile,
	ratio,
	rotate,
	splitCatchUp,
	catchUpDeltaCount,
	summarize
} from '../../../bench/stats';

describe('bench stats', () => {
	it('percentile interpolates between closest ranks and ignores input order', () => {
		expect(percentile([3, 1, 2, 4], 50)).toBe(2.5);
		expect(percentile([1, 2, 3, 4, 5], 0)).toBe(1);
		expect(percentile([1, 2, 3, 4, 5], 100)).toBe(5);
		expect(percentile([10, 20], 99)).toBeCloseTo(19.9);
		expect(percentile([7], 99)).toBe(7);
		expect(percentile([], 50)).toBeNaN();
		expect(() => percentile([1], 101)).toThrow(RangeError);
	});

	it('summarize reports count, extremes, percentiles and mean', () => {
		const values = Array.from({ length: 100 }, (_, i) => i + 1);
		const s = summarize(values);
		expect(s).toMatchObject({ n: 100, min: 1, max: 100, mean: 50.5 });
		expect(s.p50).toBe(50.5);
		expect(s.p99).toBeCloseTo(99.01);
		expect(summarize([]).n).toBe(0);
	});

	it('ratio and difference refuse missing or non-positive baselines', () => {
		expect(ratio(3, 2)).toBe(1.5);
		expect(ratio(3, 0)).toBeNull();
		expect(ratio(null, 2)).toBeNull();
		expect(ratio(Number.NaN, 2)).toBeNull();
		expect(difference(3, 2)).toBe(1);
		expect(difference(2, undefined)).toBeNull();
	});

	it('gaps are the differences between consecutive arrival times', () => {
		expect(gaps([0, 20, 45, 60])).toEqual([20, 25, 15]);
		expect(gaps([5])).toEqual([]);
	});

	it('catchUpDeltaCount counts the deltas inside joined catch-up frames, not the frames', () => {
		expect(catchUpDeltaCount([1, 1, 1, 1], 2)).toBe(2);
		expect(catchUpDeltaCount([5, 1, 1], 0)).toBe(4);
		expect(catchUpDeltaCount([3, 4, 1], 1)).toBe(6);
		expect(catchUpDeltaCount([], 0)).toBe(0);
	});

	it('splitCatchUp separates a replayed burst from the live, paced part of a stream', () => {
		expect(splitCatchUp([0, 20, 40, 61], 20)).toEqual({ catchUp: 0, liveGaps: [20, 20, 21] });
		expect(splitCatchUp([0, 0.1, 0.2, 20, 40], 20)).toEqual({ catchUp: 2, liveGaps: [19.8, 20] });
		expect(splitCatchUp([0, 0.1, 0.2], 20)).toEqual({ catchUp: 2, liveGaps: [] });
		expect(splitCatchUp([5], 20)).toEqual({ catchUp: 0, liveGaps: [] });
	});

	it('checkSequence counts lost, reordered, duplicated and unexpected deltas', () => {
		expect(checkSequence(4, [0, 1, 2, 3])).toEqual({ lost: 0, reordered: 0, duplicated: 0, unexpected: 0 });
		expect(checkSequence(4, [0, 2, 1, 3])).toMatchObject({ lost: 0, reordered: 1 });
		expect(checkSequence(4, [0, 1, 1, 3])).toMatchObject({ lost: 1, duplicated: 1, reordered: 0 });
		expect(checkSequence(3, [0, 7, 1, 2])).toMatchObject({ lost: 0, unexpected: 1 });
		expect(checkSequence(5, [])).toMatchObject({ lost: 5 });
	});

	it('rotate starts each round with the next item', () => {
		expect(rotate(['a', 'b', 'c'], 0)).toEqual(['a', 'b', 'c']);
		expect(rotate(['a', 'b', 'c'], 1)).toEqual(['b', 'c', 'a']);
		expect(rotate(['a', 'b', 'c'], 5)).toEqual(['c', 'a', 'b']);
		expect(rotate([], 3)).toEqual([]);
	});

	it('formats signed differences and ratios for the table', () => {
		expect(formatSigned(0.7)).toBe('+0.70');
		expect(formatSigned(-12.34)).toBe('-12.3');
		expect(formatSigned(null)).toBe('—');
		expect(formatRatio(1.234)).toBe('×1.23');
		expect(formatRatio(null)).toBe('—');
	});
});
