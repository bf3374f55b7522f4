#!/usr/bin/env node
// Launcher for the `switchboard` CLI. In the repository it runs the TypeScript source through tsx,
// so `npx switchboard` and `npm run cli` always match the code; without tsx (a production install)
// it runs the SDK package's build (npm run build:sdk writes packages/sdk/dist).
import { existsSync } from 'node:fs';

const source = new URL('../src/cli/main.ts', import.meta.url);
const built = new URL('../packages/sdk/dist/cli/main.js', import.meta.url);

async function loadFromSource() {
	try {
		const { register } = await import('tsx/esm/api');
		register();
	} catch {
		return null; // tsx is a dev dependency: absent in a production install.
	}
	return import(source.href);
}

const cli =
	(existsSync(source) && (await loadFromSource())) || (existsSync(built) && (await import(built.href)));
if (!cli) {
	process.stderr.write(
		'switchboard: the CLI is not built; run `npm run build:sdk` (or install dev dependencies)\n'
	);
	process.exit(1);
}
await cli.main(process.argv.slice(2));
