import { describe, expect, it, vi } from 'vitest';
import { FrameBatch, pacedFrames } from './frame-batch';

/** Frames that run only when the test says so. */
function manualFrames() {
	const queue = new Map<number, () => void>();
	let next = 1;
	return {
		queue,
		schedule: (run: () => void) => {
			const handle = next++;
			queue.set(handle, run);
			return () => void queue.delete(handle);
		},
		tick: () => {
			const runs = [...queue.values()];
			queue.clear();
			for (const run of runs) run();
		}
	};
}

describe('FrameBatch', () => {
	it('applies all deltas of a frame as one, per message, in order', () => {
		const frames = manualFrames();
		const applied: [string, string][] = [];
		const batch = new FrameBatch((id, text) => applied.push([id, text]), frames.schedule);
		batch.push('a', 'Hel');
		batch.push('b', 'x');
		batch.push('a', 'lo');
		expect(applied).toEqual([]);
		expect(frames.queue.size).toBe(1);
		frames.tick();
		expect(applied).toEqual([
			['a', 'Hello'],
			['b', 'x']
		]);
		batch.push('a', '!');
		frames.tick();
		expect(applied.at(-1)).toEqual(['a', '!']);
	});

	it('flushes one message at once and leaves the others for their frame', () => {
		const frames = manualFrames();
		const applied: [string, string][] = [];
		const batch = new FrameBatch((id, text) => applied.push([id, text]), frames.schedule);
		batch.push('a', 'one');
		batch.push('b', 'two');
		batch.flush('a');
		expect(applied).toEqual([['a', 'one']]);
		frames.tick();
		expect(applied).toEqual([
			['a', 'one'],
			['b', 'two']
		]);
	});

	it('cancels its frame when nothing is left, and clear drops what waits', () => {
		const frames = manualFrames();
		const applied: string[] = [];
		const batch = new FrameBatch((_, text) => applied.push(text), frames.schedule);
		batch.push('a', 'x');
		batch.flush();
		expect(frames.queue.size).toBe(0);
		batch.push('a', 'y');
		batch.clear();
		frames.tick();
		expect(applied).toEqual(['x']);
	});
});

/** Fake time, with frames every 16 ms (or none, as in a background tab), for `test`. */
function withFrames(frames: boolean, test: () => void) {
	vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
	const original = { raf: globalThis.requestAnimationFrame, caf: globalThis.cancelAnimationFrame };
	Object.assign(globalThis, {
		requestAnimationFrame: (run: FrameRequestCallback) =>
			frames ? setTimeout(() => run(performance.now()), 16) : 0,
		cancelAnimationFrame: (handle: ReturnType<typeof setTimeout>) => clearTimeout(handle)
	});
	try {
		test();
	} finally {
		Object.assign(globalThis, { requestAnimationFrame: original.raf, cancelAnimationFrame: original.caf });
		vi.useRealTimers();
	}
}

describe('pacedFrames', () => {
	it('runs on the next frame, then no sooner than the spacing after the previous run', () =>
		withFrames(true, () => {
			const schedule = pacedFrames(66);
			const runs: number[] = [];
			schedule(() => runs.push(performance.now()));
			vi.advanceTimersByTime(20);
			expect(runs).toHaveLength(1);
			schedule(() => runs.push(performance.now()));
			vi.advanceTimersByTime(40);
			expect(runs).toHaveLength(1);
			vi.advanceTimersByTime(60);
			expect(runs).toHaveLength(2);
			expect(runs[1] - runs[0]).toBeGreaterThanOrEqual(66);
		}));

	it('without frames (a background tab), still runs shortly after', () =>
		withFrames(false, () => {
			let ran = false;
			pacedFrames(66)(() => (ran = true));
			vi.advanceTimersByTime(99);
			expect(ran).toBe(false);
			vi.advanceTimersByTime(2);
			expect(ran).toBe(true);
		}));

	it('a cancelled run never happens', () =>
		withFrames(true, () => {
			let ran = false;
			pacedFrames(66)(() => (ran = true))();
			vi.advanceTimersByTime(500);
			expect(ran).toBe(false);
		}));
});
