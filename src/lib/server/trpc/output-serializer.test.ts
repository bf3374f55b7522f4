import superjson from 'superjson';
import { describe, expect, it } from 'vitest';
import { serializeOutput } from './output-serializer';

const shared = { x: 1 };
const values: [string, unknown][] = [
	['a stream event', { type: 'delta', text: 'Hé "quoted"\nline' }],
	[
		'a done event',
		{ type: 'done', finishReason: 'stop', usage: { inputTokens: 3, costUsd: 0.01, estimated: false } }
	],
	['nested arrays and objects', { a: [1, [2, { b: null }], 'c'], d: { e: { f: true } } }],
	['a string', 'text'],
	['null', null],
	['an empty object and array', { a: {}, b: [] }],
	['an object without a prototype', Object.assign(Object.create(null), { q: 1 })],
	['undefined', undefined],
	['an undefined field', { a: undefined, b: 1 }],
	['an array with a hole', Object.assign(new Array<number>(3), { 0: 1, 2: 3 })],
	['-0', { n: -0 }],
	['NaN and Infinity', [Number.NaN, Number.POSITIVE_INFINITY]],
	['a Date', { at: new Date(0) }],
	['a Map', new Map([['a', 1]])],
	['a shared reference', { a: shared, b: shared }],
	['a shared reference in an array', [shared, shared]],
	['a bigint', { n: 10n }],
	[
		'a class instance',
		new (class Point {
			x = 1;
		})()
	]
];

describe('serializeOutput', () => {
	it("gives superjson's bytes for every value, plain or not", () => {
		for (const [name, value] of values) {
			expect(JSON.stringify(serializeOutput(value)), name).toBe(JSON.stringify(superjson.serialize(value)));
		}
	});

	it('skips superjson for plain JSON (the value itself is the output) and only then', () => {
		const event = { type: 'delta', text: 'x' };
		expect((serializeOutput(event) as { json: unknown }).json).toBe(event);
		const dated = { at: new Date(0) };
		expect((serializeOutput(dated) as { json: unknown }).json).not.toBe(dated);
	});

	it('leaves keys superjson guards against to it', () => {
		const polluted = JSON.parse('{"__proto__": {"a": 1}}');
		expect(() => serializeOutput(polluted)).toThrow(/prototype pollution/);
	});
});
