import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CDPSession, Page } from '@playwright/test';
import { ChatPage } from '../../tests/e2e/pages/chat-page';
import { call } from '../../tests/e2e/support/api';
import { script } from '../../tests/e2e/support/emulators';
import { test } from '../../tests/e2e/support/fixtures';
import { chunked, longAnswer } from '../../tests/e2e/support/long-answer';
import { startProfile, stopProfile, timelineSummary } from './cpu-profile';

/*
 * The long-chat figures of issue #16: a chat of TURNS turns with ~3 KB markdown answers; how long
 * it takes to open to its last message, how many DOM nodes that builds, how busy the main thread
 * is while one more long answer streams in (and the same answer in an empty chat), and the JS heap.
 * Chromium's own counters (CDP Performance.getMetrics); nothing here is asserted.
 */
const TURNS = Number(process.env.BENCH_UI_TURNS ?? 150);
const MODEL = { providerId: 'anthropic', modelId: 'claude-haiku-4-5' } as const;
// ~2.6 s of streaming: 40-character deltas every 33 ms.
const STREAM = { size: 40, paceMs: 33 };
// Set to write CPU profiles of opening and streaming (test-results/bench-ui) and print their hot spots;
// the profiler's own cost then inflates the figures, so profile and measure in separate runs.
const PROFILE = Boolean(process.env.BENCH_UI_PROFILE);
const profileDir = path.resolve('test-results/bench-ui');

/** Runs `phase`, profiled when BENCH_UI_PROFILE is set. */
async function profiled<T>(page: Page, cdp: CDPSession, name: string, phase: () => Promise<T>): Promise<T> {
	const browser = page.context().browser();
	if (!PROFILE || !browser) return phase();
	mkdirSync(profileDir, { recursive: true });
	await browser.startTracing(page, { categories: ['devtools.timeline'] });
	await startProfile(cdp);
	const result = await phase();
	console.log(await stopProfile(cdp, path.join(profileDir, `${name}.cpuprofile`)));
	console.log(`${name}: main thread by trace event\n${timelineSummary(await browser.stopTracing())}`);
	return result;
}

type Metrics = Record<string, number>;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function metrics(cdp: CDPSession): Promise<Metrics> {
	const { metrics } = await cdp.send('Performance.getMetrics');
	return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
}

/** One turn through the API, waiting out the per-user limits (60 a minute, 3 at once). */
async function seedTurn(page: Page, chatId: string, n: number): Promise<void> {
	await script('anthropic', { chunks: chunked(longAnswer(n), 400) });
	for (;;) {
		try {
			await call(page.request, 'chats.send', {
				chatId,
				content: `Question ${n}: how do I measure a relay?`,
				...MODEL
			});
			break;
		} catch (error) {
			if (!String(error).includes(' 429 ')) throw error;
			await sleep(1_000);
		}
	}
	for (;;) {
		const chat = await call<{ messages: { status: string }[] }>(
			page.request,
			'chats.get',
			{ chatId },
			'query'
		);
		if (chat.messages.at(-1)?.status !== 'streaming') return;
		await sleep(25);
	}
}

/** Milliseconds from navigation start until the end of answer `n` (the chat's last) is on screen. */
async function openTime(page: Page, url: string, n: number): Promise<number> {
	await page.goto(url, { waitUntil: 'commit' });
	const handle = await page.waitForFunction(
		(ending) => {
			const last = [...document.querySelectorAll('.markdown p')].findLast((p) =>
				p.textContent?.includes(ending)
			);
			if (!last) return false;
			const box = last.getBoundingClientRect();
			return box.bottom > 0 && box.top < innerHeight ? performance.now() : false;
		},
		`method for turn ${n}:`,
		{ polling: 'raf', timeout: 60_000 }
	);
	return (await handle.jsonValue()) as number;
}

type StreamFigures = {
	wallMs: number;
	scriptedMs: number;
	busy: number;
	heapPeakMb: number;
	heapEndMb: number;
};

/** Streams answer `n` into the open chat and measures the main thread and heap meanwhile. */
async function streamOne(page: Page, cdp: CDPSession, n: number): Promise<StreamFigures> {
	const chunks = chunked(longAnswer(n), STREAM.size);
	await script('anthropic', { chunks, paceMs: STREAM.paceMs });
	const chat = new ChatPage(page);
	await cdp.send('HeapProfiler.collectGarbage');
	const before = await metrics(cdp);
	const start = await page.evaluate(() => performance.now());
	await chat.send(`Question ${n}: how do I measure a relay?`);
	let heapPeak = before.JSHeapUsedSize;
	const done = page.waitForFunction(
		(title) => {
			const answers = document.querySelectorAll('article[data-status]');
			const last = answers[answers.length - 1];
			const heading = last?.querySelector('.markdown h2');
			return last?.getAttribute('data-status') === 'complete' && heading?.textContent?.startsWith(title)
				? performance.now()
				: false;
		},
		`Answer ${n}:`,
		{ polling: 'raf', timeout: 60_000 }
	);
	let finished: number | null = null;
	void done.then(async (handle) => (finished = (await handle.jsonValue()) as number));
	while (finished === null) {
		heapPeak = Math.max(heapPeak, (await metrics(cdp)).JSHeapUsedSize);
		await sleep(200);
	}
	const after = await metrics(cdp);
	await cdp.send('HeapProfiler.collectGarbage');
	const collected = await metrics(cdp);
	return {
		wallMs: finished - start,
		scriptedMs: chunks.length * STREAM.paceMs,
		busy: (after.TaskDuration - before.TaskDuration) / (after.Timestamp - before.Timestamp),
		heapPeakMb: Math.max(heapPeak, after.JSHeapUsedSize) / 2 ** 20,
		heapEndMb: collected.JSHeapUsedSize / 2 ** 20
	};
}

test('long chat: open, DOM size, streaming cost, heap', async ({ page }) => {
	const seedStart = Date.now();
	const chat = await call<{ id: string }>(page.request, 'chats.create', {
		title: 'Long chat bench',
		...MODEL
	});
	for (let n = 1; n <= TURNS; n++) await seedTurn(page, chat.id, n);
	console.log(`seeded ${TURNS} turns in ${((Date.now() - seedStart) / 1000).toFixed(0)} s`);

	const cdp = await page.context().newCDPSession(page);
	// Wall-clock durations, as a person waits them (on a busy machine this counts waiting for a core too).
	await cdp.send('Performance.enable', { timeDomain: 'timeTicks' });

	// The app's scripts are cached first, as they are for anyone opening a chat from the list.
	await page.goto('/');
	const openMs = await profiled(page, cdp, 'open', () => openTime(page, `/chat/${chat.id}`, TURNS));
	await sleep(1_000);
	await cdp.send('HeapProfiler.collectGarbage');
	const opened = await metrics(cdp);
	const elements = await page.evaluate(() => document.getElementsByTagName('*').length);

	const long = await profiled(page, cdp, 'stream-long', () => streamOne(page, cdp, TURNS + 1));

	await page.goto('/');
	await new ChatPage(page).composer.waitFor();
	const empty = await profiled(page, cdp, 'stream-empty', () => streamOne(page, cdp, 1));

	const mb = (v: number) => `${v.toFixed(1)} MB`;
	const pct = (v: number) => `${(v * 100).toFixed(0)} %`;
	const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
	const report = [
		`# UI bench: a chat of ${TURNS} turns (~3 KB markdown answers with a table and code)`,
		'',
		`${new Date().toISOString()} · Chromium via Playwright · CDP Performance.getMetrics · figures, not assertions`,
		'',
		'| Figure | Measured | Goal |',
		'| --- | --- | --- |',
		`| Open to the last message | ${s(openMs)} | ≤ 1 s |`,
		`| DOM nodes after opening (CDP Nodes, after GC) | ${opened.Nodes.toLocaleString('en')} (${elements.toLocaleString('en')} elements) | ≤ 20,000 |`,
		`| JS heap after opening (after GC) | ${mb(opened.JSHeapUsedSize / 2 ** 20)} | ≤ 50 MB |`,
		`| Streaming one more answer: main thread busy | ${pct(long.busy)} | ≤ 40 % |`,
		`| Streaming: answer on screen / stream length | ${s(long.wallMs)} / ${s(long.scriptedMs)} | keeps up |`,
		`| Streaming: JS heap peak / after GC | ${mb(long.heapPeakMb)} / ${mb(long.heapEndMb)} | ≤ 50 MB |`,
		`| Same answer in an empty chat: busy | ${pct(empty.busy)} | ≤ 40 % |`,
		`| Empty chat: answer on screen / stream length | ${s(empty.wallMs)} / ${s(empty.scriptedMs)} | keeps up |`,
		`| Empty chat: JS heap peak / after GC | ${mb(empty.heapPeakMb)} / ${mb(empty.heapEndMb)} | ≤ 50 MB |`,
		''
	].join('\n');
	console.log(`\n${report}`);
	const out = path.resolve('bench/results');
	mkdirSync(out, { recursive: true });
	writeFileSync(path.join(out, 'ui-latest.md'), report);
});
