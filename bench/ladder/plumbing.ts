import superjson from 'superjson';
import type { RouterInputs } from '../../src/lib/sdk/helpers';
import { signUpWithToken } from '../lib/accounts';
import { quiesce } from '../lib/phases';
import { readCpuMs } from '../lib/processes';
import { summarize, type Summary } from '../stats';
import type { RunningApp } from './app-process';

export type PlumbingFigure = {
	name: string;
	requests: number;
	failed: number;
	/** utime+stime of the app process over the batch (/proc, 10 ms ticks) ÷ requests. */
	cpuMsPerRequest: number;
	latency: Summary;
};

const chatsListInput: RouterInputs['chats']['list'] = {};

/** What a request costs before any work: each kind the app serves on every page or API call. */
function kinds(
	url: string,
	token: string
): { name: string; path: string; headers: Record<string, string> }[] {
	const bearer = { authorization: `Bearer ${token}` };
	const input = encodeURIComponent(JSON.stringify(superjson.serialize(chatsListInput)));
	return [
		{ name: 'static file (`/favicon.svg`)', path: '/favicon.svg', headers: {} },
		{ name: '`/healthz` (pings the DB)', path: '/healthz', headers: {} },
		{ name: 'tRPC `auth.me`, bearer token', path: '/api/trpc/auth.me', headers: bearer },
		{ name: 'tRPC `providers.list`, bearer token', path: '/api/trpc/providers.list', headers: bearer },
		{ name: 'tRPC `chats.list`, bearer token', path: `/api/trpc/chats.list?input=${input}`, headers: bearer }
	].map((k) => ({ ...k, path: `${url}${k.path}` }));
}

/**
 * Per-request plumbing: `requests` sequential requests of each kind through the built app, its CPU
 * read from /proc around each batch (the batch is long enough for the 10 ms ticks not to matter).
 */
export async function measurePlumbing(app: RunningApp, requests: number): Promise<PlumbingFigure[]> {
	const { token } = await signUpWithToken(app.url, 'plumbing@bench.test', 'bench password 0123456789');
	const figures: PlumbingFigure[] = [];
	for (const kind of kinds(app.url, token)) {
		// A few untimed requests first: the first call of a route loads its chunk.
		for (let i = 0; i < 5; i++)
			await fetch(kind.path, { headers: kind.headers }).then((r) => r.arrayBuffer());
		await quiesce([app.child.pid]);
		let failed = 0;
		const latencies: number[] = [];
		const cpuBefore = readCpuMs(app.child.pid);
		for (let i = 0; i < requests; i++) {
			const started = performance.now();
			const response = await fetch(kind.path, { headers: kind.headers });
			await response.arrayBuffer();
			latencies.push(performance.now() - started);
			if (!response.ok) failed++;
		}
		figures.push({
			name: kind.name,
			requests,
			failed,
			cpuMsPerRequest: (readCpuMs(app.child.pid) - cpuBefore) / Math.max(1, requests),
			latency: summarize(latencies)
		});
	}
	return figures;
}
