import { describe, expect, it } from 'vitest';
import { parseHeaderLines } from './extra-headers';

describe('parseHeaderLines', () => {
	it('reads Name: value lines, keeps colons in values and names lines that do not parse', () => {
		expect(parseHeaderLines('X-Org: acme\n\n  Authorization: Basic a:b  \nbroken line\n: no name')).toEqual({
			headers: { 'X-Org': 'acme', Authorization: 'Basic a:b' },
			bad: ['broken line', ': no name']
		});
	});
});
