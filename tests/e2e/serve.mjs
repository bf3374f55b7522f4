// Starts the built app for Playwright on a fresh database: a temporary PGlite directory, or a
// scratch Postgres database when DATABASE_URL is set, so every e2e run begins as a new install.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import postgres from 'postgres';

const port = process.env.E2E_PORT ?? '4173';
// No ORIGIN, as with a plain `npm start`: the app must work out its origin itself.
// Titles by a model off: specs read the chat list's titles and count provider calls per turn;
// conversations.spec.ts starts an app of its own with titles on.
// Every spec signs its members up from 127.0.0.1: the per-address sign-up limit (tested on its own
// in tests/integration) would otherwise cap how many specs may make a member.
const env = { TITLE_MODEL: 'off', SIGNUP_LIMIT: '1000', ...process.env, PORT: port, LOG_LEVEL: 'warn' };
delete env.ORIGIN;

if (process.env.DATABASE_URL) {
	const url = new URL(process.env.DATABASE_URL);
	const name = `${url.pathname.slice(1) || 'switchboard'}_e2e`;
	const admin = postgres(url.toString(), { max: 1, onnotice: () => {} });
	await admin.unsafe(`drop database if exists "${name}" with (force)`);
	await admin.unsafe(`create database "${name}"`);
	await admin.end();
	url.pathname = `/${name}`;
	env.DATABASE_URL = url.toString();
} else {
	env.DATA_DIR = mkdtempSync(path.join(tmpdir(), 'switchboard-e2e-'));
}

const server = spawn(process.execPath, ['scripts/start.mjs'], { env, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
