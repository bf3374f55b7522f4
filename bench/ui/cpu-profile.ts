import { writeFileSync } from 'node:fs';
import type { CDPSession } from '@playwright/test';

/*
 * `BENCH_UI_PROFILE=1 npm run bench:ui`: a CDP CPU profile of a phase (opening the chat, streaming
 * an answer), saved for DevTools and summed bottom-up into the functions that took the most time
 * themselves, so where the time goes is printed next to the figures.
 */
type Frame = { functionName: string; url: string; lineNumber: number };
type ProfileNode = { id: number; callFrame: Frame; children?: number[] };
type Profile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };

export async function startProfile(cdp: CDPSession): Promise<void> {
	await cdp.send('Profiler.enable');
	await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
	await cdp.send('Profiler.start');
}

/** Stops the profile, writes it to `file` (.cpuprofile) and returns its top functions by self time. */
export async function stopProfile(cdp: CDPSession, file: string, top = 25): Promise<string> {
	const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: Profile };
	writeFileSync(file, JSON.stringify(profile));
	const byId = new Map(profile.nodes.map((n) => [n.id, n]));
	const self = new Map<string, number>();
	let total = 0;
	profile.samples.forEach((id, i) => {
		const frame = byId.get(id)?.callFrame;
		const dt = profile.timeDeltas[i] ?? 0;
		total += dt;
		if (!frame) return;
		const where = frame.url ? `${frame.url.split('/').pop()}:${frame.lineNumber + 1}` : '';
		const key = `${frame.functionName || '(anonymous)'} ${where}`.trim();
		self.set(key, (self.get(key) ?? 0) + dt);
	});
	const rows = [...self].sort((a, b) => b[1] - a[1]).slice(0, top);
	return [
		`${file}: ${(total / 1000).toFixed(0)} ms sampled`,
		...rows.map(([key, us]) => `${(us / 1000).toFixed(1).padStart(8)} ms  ${key}`)
	].join('\n');
}

type TraceEvent = {
	name: string;
	ph: string;
	dur?: number;
	pid: number;
	tid: number;
	args?: { name?: string };
};

/**
 * What the page's main thread spent its time on, from a Chromium trace (devtools.timeline): total
 * duration per event name (Layout, UpdateLayoutTree, Paint, FunctionCall…). Events nest, so the
 * totals overlap; they tell which kind of work dominates, which a CPU profile files under (program).
 */
export function timelineSummary(trace: Buffer, top = 20): string {
	const { traceEvents } = JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] };
	const main = traceEvents.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
	const totals = new Map<string, number>();
	for (const e of traceEvents) {
		if (!main || e.pid !== main.pid || e.tid !== main.tid || e.ph !== 'X' || !e.dur) continue;
		totals.set(e.name, (totals.get(e.name) ?? 0) + e.dur);
	}
	return [...totals]
		.sort((a, b) => b[1] - a[1])
		.slice(0, top)
		.map(([name, us]) => `${(us / 1000).toFixed(1).padStart(8)} ms  ${name}`)
		.join('\n');
}
