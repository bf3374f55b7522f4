import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StallWatch } from './stall-watch';

beforeEach(() => {
	vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
});
afterEach(() => {
	vi.useRealTimers();
});

function watched(limitMs: number) {
	const stalls: [number, string][] = [];
	const watch = new StallWatch(limitMs, 'sent nothing', (ms, what) => stalls.push([ms, what]));
	return { watch, stalls };
}

describe('StallWatch', () => {
	it('reports a first part that never comes, once, after its limit', () => {
		const { stalls } = watched(1_000);
		vi.advanceTimersByTime(999);
		expect(stalls).toEqual([]);
		vi.advanceTimersByTime(1);
		expect(stalls).toEqual([[1_000, 'sent nothing']]);
		vi.advanceTimersByTime(10_000);
		expect(stalls).toHaveLength(1);
	});

	it('counts the idle limit from the consumer’s return, not from the last part or the first timer', () => {
		const { watch, stalls } = watched(1_000);
		vi.advanceTimersByTime(900);
		watch.hold();
		watch.wait(500, 'stopped sending');
		vi.advanceTimersByTime(499);
		expect(stalls).toEqual([]);
		vi.advanceTimersByTime(1);
		expect(stalls).toEqual([[500, 'stopped sending']]);
	});

	it('restarts the wait with every part, on the same timer', () => {
		const { watch, stalls } = watched(1_000);
		const created = vi.getTimerCount();
		for (let i = 0; i < 50; i++) {
			vi.advanceTimersByTime(300);
			watch.hold();
			watch.wait(1_000, 'stopped sending');
		}
		expect(stalls).toEqual([]);
		expect(vi.getTimerCount()).toBe(created);
		vi.advanceTimersByTime(1_000);
		expect(stalls).toEqual([[1_000, 'stopped sending']]);
	});

	it('stops the clock while the consumer holds a part, however long', () => {
		const { watch, stalls } = watched(100);
		vi.advanceTimersByTime(50);
		watch.hold();
		vi.advanceTimersByTime(10_000);
		expect(stalls).toEqual([]);
		watch.wait(100, 'stopped sending');
		vi.advanceTimersByTime(99);
		expect(stalls).toEqual([]);
		vi.advanceTimersByTime(1);
		expect(stalls).toEqual([[100, 'stopped sending']]);
	});

	it('reports nothing after stop()', () => {
		const { watch, stalls } = watched(100);
		watch.stop();
		vi.advanceTimersByTime(1_000);
		expect(stalls).toEqual([]);
		expect(vi.getTimerCount()).toBe(0);
	});
});
