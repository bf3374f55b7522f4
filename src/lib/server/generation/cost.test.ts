import { describe, expect, it } from 'vitest';
import { addCosts, computeCost } from './cost';

describe('computeCost', () => {
	it('prices tokens per million with numeric precision', () => {
		expect(computeCost({ inputPricePerMTok: '3', outputPricePerMTok: '15' }, 12, 30)).toBe(0.000486);
		expect(computeCost({ inputPricePerMTok: '0.1', outputPricePerMTok: '0.4' }, 16, 300)).toBe(0.0001216);
	});

	it('is null, never 0, when a price is unknown', () => {
		expect(computeCost({ inputPricePerMTok: null, outputPricePerMTok: '1' }, 10, 10)).toBeNull();
		expect(computeCost(undefined, 10, 10)).toBeNull();
	});

	it('adds costs, keeping unknown unknown', () => {
		expect(addCosts(0.1, 0.2)).toBe(0.3);
		expect(addCosts(null, 0.2)).toBeNull();
	});
});
