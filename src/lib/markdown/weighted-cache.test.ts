import { describe, expect, it } from 'vitest';
import { WeightedCache } from './weighted-cache';

describe('WeightedCache', () => {
	it('evicts the least recently used entries once the total weight is over the bound', () => {
		const cache = new WeightedCache<string>(10);
		cache.set('a', 'A', 4);
		cache.set('b', 'B', 4);
		expect(cache.get('a')).toBe('A');
		cache.set('c', 'C', 4);
		expect(cache.get('b')).toBeUndefined();
		expect(cache.get('a')).toBe('A');
		expect(cache.get('c')).toBe('C');
		expect(cache.weight).toBe(8);
	});

	it('replacing a key counts its new weight only, and an entry heavier than the bound is not kept', () => {
		const cache = new WeightedCache<string>(10);
		cache.set('a', 'A', 6);
		cache.set('a', 'A2', 3);
		expect(cache.weight).toBe(3);
		cache.set('huge', 'H', 11);
		expect(cache.get('huge')).toBeUndefined();
		expect(cache.get('a')).toBe('A2');
		expect(cache.size).toBe(1);
	});
});
