import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	optimizeDeps: { exclude: ['@electric-sql/pglite'] },
	ssr: { external: ['@electric-sql/pglite', '@node-rs/argon2'] },
	test: {
		// The provider SDKs refuse browser-like environments; every server test runs in node.
		environment: 'node',
		maxWorkers: 2,
		testTimeout: 30_000,
		hookTimeout: 60_000,
		projects: [
			{
				extends: true,
				test: { name: 'unit', include: ['src/**/*.test.ts', 'tests/unit/**/*.test.ts'] }
			},
			{
				extends: true,
				test: {
					name: 'integration',
					include: ['tests/integration/**/*.test.ts'],
					// One database per worker, shared by the files it runs (see tests/helpers/test-database.ts).
					isolate: false
				}
			}
		]
	}
});
