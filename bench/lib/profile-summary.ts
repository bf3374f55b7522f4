import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The parts of a V8 .cpuprofile this summary reads. */
type CpuProfile = {
	nodes: { id: number; callFrame: { functionName: string; url: string }; children?: number[] }[];
	startTime: number;
	samples: number[];
	timeDeltas: number[];
};

export type ProfileShare = { category: string; ms: number; share: number };
export type ProfileSummary = { name: string; windowMs: number; busyMs: number; shares: ProfileShare[] };

/** A stretch of the run, in the profile's clock: CLOCK_MONOTONIC µs, which is process.hrtime() / 1000. */
export type ProfileWindow = { name: string; fromUs: number; toUs: number };

export const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

/** First match from the sampled frame outwards wins, in this order. */
const categories: [string, (url: string, fn: string) => boolean][] = [
	[
		'PGlite (Postgres in WASM on the event loop, with its synchronous file I/O)',
		(u) => u.includes('pglite') || u.includes('wasm')
	],
	['Drizzle (building SQL, mapping rows)', (u) => u.includes('drizzle-orm')],
	['OpenAI SDK and undici (the upstream call)', (u) => u.includes('/openai/') || u.includes('undici')],
	['argon2 (sign-ups)', (u, f) => u.includes('argon2') || f === 'hashPassword'],
	['tRPC and superjson (procedures, SSE framing)', (u) => u.includes('@trpc') || u.includes('superjson')],
	['SvelteKit and app code (hooks, handler, services)', (u) => u.includes('/build/')]
];

/** Where the app's CPU went within one window of the run, by layer. */
export function summarizeProfile(profile: CpuProfile, window: ProfileWindow): ProfileSummary {
	const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
	const parent = new Map<number, number>();
	for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
	const stack = (id: number) => {
		const frames = [];
		for (let at: number | undefined = id; at !== undefined; at = parent.get(at))
			frames.push(nodes.get(at)!.callFrame);
		return frames;
	};
	const totals = new Map<string, number>();
	let windowUs = 0;
	let at = profile.startTime;
	const cache = new Map<number, string>();
	profile.samples.forEach((id, i) => {
		const delta = profile.timeDeltas[i] ?? 0;
		at += delta;
		if (at < window.fromUs || at > window.toUs) return;
		windowUs += delta;
		let category = cache.get(id);
		if (!category) {
			const frames = stack(id);
			const leaf = frames[0].functionName;
			category =
				leaf === '(idle)'
					? 'idle'
					: leaf === '(garbage collector)'
						? 'garbage collector'
						: (categories.find(([, match]) => frames.some((f) => match(f.url, f.functionName)))?.[0] ??
							'Node internals (http, streams, timers)');
			cache.set(id, category);
		}
		totals.set(category, (totals.get(category) ?? 0) + delta);
	});
	const busyUs = windowUs - (totals.get('idle') ?? 0);
	const shares = [...totals]
		.filter(([category]) => category !== 'idle')
		.map(([category, us]) => ({ category, ms: us / 1000, share: busyUs ? us / busyUs : 0 }))
		.sort((a, b) => b.ms - a.ms);
	return { name: window.name, windowMs: windowUs / 1000, busyMs: busyUs / 1000, shares };
}

export type ProfileReport = { file: string; windows: ProfileSummary[] };

/** The newest .cpuprofile in `dir`, summarized per window; null when there is none. */
export function summarizeProfileDir(dir: string, windows: ProfileWindow[]): ProfileReport | null {
	const files = readdirSync(dir)
		.filter((f) => f.endsWith('.cpuprofile'))
		.sort();
	const file = files.at(-1);
	if (!file) return null;
	const profile = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as CpuProfile;
	return { file: path.join(dir, file), windows: windows.map((w) => summarizeProfile(profile, w)) };
}
