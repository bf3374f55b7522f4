import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { layerOfStack, type Frame, type Layer } from './profile-layers';

/** The parts of a V8 .cpuprofile this summary reads. */
type CpuProfile = {
	nodes: { id: number; callFrame: Frame; children?: number[] }[];
	startTime: number;
	samples: number[];
	timeDeltas: number[];
};

export type ProfileShare = { layer: Layer; ms: number; share: number };
export type ProfileSummary = { name: string; windowMs: number; busyMs: number; shares: ProfileShare[] };

/** A stretch of the run, in the profile's clock: CLOCK_MONOTONIC µs, which is process.hrtime() / 1000. */
export type ProfileWindow = { name: string; fromUs: number; toUs: number };

export const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

/** Where the app's CPU went within one window of the run, by layer (self time; see layerOfStack). */
export function summarizeProfile(profile: CpuProfile, window: ProfileWindow): ProfileSummary {
	const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
	const parent = new Map<number, number>();
	for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
	const stack = (id: number) => {
		const frames: Frame[] = [];
		for (let at: number | undefined = id; at !== undefined; at = parent.get(at))
			frames.push(nodes.get(at)!.callFrame);
		return frames;
	};
	const totals = new Map<Layer | 'idle', number>();
	const cache = new Map<number, Layer | 'idle'>();
	let windowUs = 0;
	let at = profile.startTime;
	profile.samples.forEach((id, i) => {
		const delta = profile.timeDeltas[i] ?? 0;
		at += delta;
		if (at < window.fromUs || at > window.toUs) return;
		windowUs += delta;
		let layer = cache.get(id);
		if (!layer) {
			layer = layerOfStack(stack(id));
			cache.set(id, layer);
		}
		totals.set(layer, (totals.get(layer) ?? 0) + delta);
	});
	const busyUs = windowUs - (totals.get('idle') ?? 0);
	const shares = [...totals]
		.filter((entry): entry is [Layer, number] => entry[0] !== 'idle')
		.map(([layer, us]) => ({ layer, ms: us / 1000, share: busyUs ? us / busyUs : 0 }))
		.sort((a, b) => b.ms - a.ms);
	return { name: window.name, windowMs: windowUs / 1000, busyMs: busyUs / 1000, shares };
}

export type ProfileReport = { files: string[]; windows: ProfileSummary[] };

/** Adds up one window's summaries from several profiles (threads) of the same process. */
function merge(parts: ProfileSummary[]): ProfileSummary {
	const ms = new Map<Layer, number>();
	for (const part of parts) for (const s of part.shares) ms.set(s.layer, (ms.get(s.layer) ?? 0) + s.ms);
	const busyMs = parts.reduce((sum, p) => sum + p.busyMs, 0);
	return {
		name: parts[0].name,
		windowMs: Math.max(...parts.map((p) => p.windowMs)),
		busyMs,
		shares: [...ms]
			.map(([layer, total]) => ({ layer, ms: total, share: busyMs ? total / busyMs : 0 }))
			.sort((a, b) => b.ms - a.ms)
	};
}

/**
 * Every .cpuprofile in `dir` (node writes one per thread: the main one, and any worker's), summarized
 * per window and added up; null when there is none.
 */
export function summarizeProfileDir(dir: string, windows: ProfileWindow[]): ProfileReport | null {
	const files = readdirSync(dir)
		.filter((f) => f.endsWith('.cpuprofile'))
		.map((f) => path.join(dir, f));
	if (files.length === 0) return null;
	const profiles = files.map((file) => JSON.parse(readFileSync(file, 'utf8')) as CpuProfile);
	return {
		files,
		windows: windows.map((w) => merge(profiles.map((profile) => summarizeProfile(profile, w))))
	};
}
