import { describe, expect, it } from 'vitest';
import type { StreamsPhase, TtftStep } from '../../../bench/lib/phases';
import { againstLimit, againstRatio, evaluateGoals, SPARSE_TURN } from '../../../bench/lib/goals';
import { summarize } from '../../../bench/stats';

const noChecks = { lost: 0, reordered: 0, duplicated: 0, unexpected: 0 };

function ttft(step: TtftStep['step'], p50: number, p99: number, cpu: number | null): TtftStep {
	// Two samples: p50 is their midpoint and p99 sits next to the larger one.
	const spread = p99 + (p99 - p50) / 49;
	return {
		step,
		ttft: summarize([2 * p50 - spread, spread]),
		failed: 0,
		errors: [],
		check: noChecks,
		relayCpuMsPerTurn: cpu,
		probeBracketMs: cpu === null ? null : 0.05
	};
}

function streams(
	step: StreamsPhase['step'],
	level: number,
	figures: { ttft: number; cpu: number; lost?: number }
): StreamsPhase {
	return {
		step,
		streams: level,
		deltas: 64,
		paceMs: 20,
		ok: level,
		failed: 0,
		errors: [],
		check: { ...noChecks, lost: figures.lost ?? 0 },
		deltasReceived: level * 64,
		gap: summarize([20]),
		gapP99OverPace: 1,
		catchUpDeltas: 0,
		liveGap: summarize([20]),
		liveGapP99OverPace: 1,
		ttftUnderLoad: summarize([figures.ttft]),
		wallMs: 1500,
		clientEldP99Ms: 1,
		clientCpuUsPerDelta: 10,
		emulatorEldP99Ms: 1,
		relay: {
			process: step === 'B1' ? 'proxy' : 'app',
			eld: { count: 10, p50Ms: 1, p99Ms: 4, maxMs: 5, meanMs: 1 },
			cpuMs: 100,
			cpuUsPerDelta: figures.cpu,
			probeCpuUsPerDelta: figures.cpu,
			rssIdleKb: 100_000,
			rssPeakKb: 110_000,
			rssPerStreamKb: 60,
			connectionsPeak: level
		}
	};
}

describe('bench goals', () => {
	it('reports the distance from an absolute limit without rounding a miss into a pass', () => {
		expect(againstLimit(2, 3, 'ms')).toEqual({ met: true, text: 'met, 1 ms to spare' });
		expect(againstLimit(3.004, 3, 'ms')).toEqual({ met: false, text: 'missed by 0.004 ms' });
		expect(againstLimit(3.0009, 3, 'ms')).toEqual({ met: false, text: 'missed by 0.0009 ms' });
		expect(againstLimit(20.5, 3, 'ms')).toEqual({ met: false, text: 'missed by 17.5 ms' });
		expect(againstLimit(null, 3, 'ms')).toEqual({ met: null, text: 'not measured' });
	});

	it('judges a ratio against B1 and says how many times the allowance a miss is', () => {
		expect(againstRatio(5, 2, 3)).toMatchObject({ met: true, ratio: 2.5 });
		const missed = againstRatio(24, 2, 3);
		expect(missed.met).toBe(false);
		expect(missed.text).toBe('missed: ×12.0, 4.00× the allowed ×3');
		expect(againstRatio(5, 0, 3).met).toBeNull();
		// Over by less than the usual digits show: still a miss, and it says so.
		expect(againstRatio(31.01, 15.5, 2)).toMatchObject({
			met: false,
			text: 'missed: ×2.0006, 1.0003× the allowed ×2'
		});
	});

	it('fills the goal table from one database run', () => {
		const rows = evaluateGoals({
			ttft: [ttft('B0', 2, 4, null), ttft('B1', 2.5, 5, 1), ttft('B3', 4, 12, 2.5)],
			streams: [
				streams('B1', 100, { ttft: 100, cpu: 50 }),
				streams('B3', 100, { ttft: 300, cpu: 120 }),
				streams('B1', 1000, { ttft: 400, cpu: 50 }),
				streams('B3', 1000, { ttft: 900, cpu: 130, lost: 2 })
			],
			rss: [
				{
					process: 'B1 proxy',
					idleKb: 1000,
					loadKb: 1200,
					afterKb: 1050,
					unforcedAfterKb: 1150,
					heapIdleKb: 1,
					heapAfterKb: 1,
					afterSettleS: 10
				},
				{
					process: 'B3 app',
					idleKb: 1000,
					loadKb: 1500,
					afterKb: 1200,
					unforcedAfterKb: 1450,
					heapIdleKb: 1,
					heapAfterKb: 1,
					afterSettleS: 10
				}
			],
			db: [
				{ name: 'API turn, ask() in a chat', description: '', count: 8, beforeFirstToken: 5, statements: [] },
				{ name: SPARSE_TURN, description: '', count: 7, beforeFirstToken: 7, statements: [] }
			],
			deltas: { paced: 64, sparse: 16 }
		});
		const row = (start: string) => rows.find((r) => r.figure.startsWith(start));
		expect(row('added TTFT over B0')).toMatchObject({ met: true, b3: '+2.00 / +8.00 ms' });
		expect(row('app CPU per turn')?.met).toBe(true);
		expect(row('TTFT p50 under paced streams at 100')).toMatchObject({
			met: false,
			distance: 'missed: ×3.00, 1.50× the allowed ×2'
		});
		// 1,000 streams is the no-loss check, not a load goal.
		expect(rows.some((r) => r.figure === 'TTFT p50 under paced streams at 1000 streams')).toBe(false);
		expect(row('at 1000 streams')).toMatchObject({ met: false, distance: 'missed: 2 bad' });
		expect(row('SQL statements per API turn, ask() in a chat')).toMatchObject({
			met: false,
			distance: 'missed by 2 statements'
		});
		expect(row('SQL statements per delta')).toMatchObject({ met: false, b3: '1 more → 0.021 per delta' });
		expect(row('RSS 10 s after the load')).toMatchObject({
			met: false,
			distance: 'missed by 10 % of idle'
		});
	});
});
