import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';
import base from '../../playwright.config';

/**
 * `npm run bench:ui`: the long-chat figures (open time, DOM nodes, main-thread busy while streaming,
 * JS heap) from Chromium's own counters, on the e2e app and emulators. Figures are printed and
 * written to bench/results/ui-latest.md, never asserted.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));

export default defineConfig({
	...base,
	testDir: '.',
	testMatch: '*.bench.ts',
	outputDir: path.join(root, 'test-results/bench-ui'),
	// The e2e suite's trace recording snapshots the DOM around every action, on the page's main
	// thread: it would be measured as the app's own work.
	use: { ...base.use, trace: 'off', screenshot: 'off' },
	// Seeding 150 turns waits out the per-user limit of 60 requests a minute.
	timeout: 15 * 60_000,
	globalSetup: path.join(root, 'tests/e2e/global-setup.ts'),
	webServer:
		base.webServer && !Array.isArray(base.webServer) ? { ...base.webServer, cwd: root } : base.webServer
});
