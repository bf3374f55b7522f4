import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configPath, readConfig, resolveConnection, writeConfig } from './config';
import { NotLoggedInError } from './exit-codes';

let dir: string;
beforeEach(async () => {
	dir = await mkdtemp(join(tmpdir(), 'switchboard-config-'));
});
afterEach(async () => {
	await rm(dir, { recursive: true, force: true });
});

describe('configPath', () => {
	it('defaults to ~/.config/switchboard/config.json and honours SWITCHBOARD_CONFIG', () => {
		expect(configPath({}, '/home/ann')).toBe('/home/ann/.config/switchboard/config.json');
		expect(configPath({ SWITCHBOARD_CONFIG: '/tmp/sb.json' }, '/home/ann')).toBe('/tmp/sb.json');
	});
});

describe('writeConfig / readConfig', () => {
	it('round-trips and is readable by the owner only', async () => {
		const path = join(dir, 'nested', 'config.json');
		await writeConfig(path, { url: 'http://localhost:3000', token: 'sb_secret' });
		expect(await readConfig(path)).toEqual({ url: 'http://localhost:3000', token: 'sb_secret' });
		expect((await stat(path)).mode & 0o777).toBe(0o600);
		expect((await stat(join(dir, 'nested'))).mode & 0o777).toBe(0o700);
	});

	it('replaces a file that others could read', async () => {
		const path = join(dir, 'config.json');
		await writeFile(path, '{}', { mode: 0o644 });
		await writeConfig(path, { url: 'http://a', token: 't' });
		expect((await stat(path)).mode & 0o777).toBe(0o600);
		expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ url: 'http://a', token: 't' });
	});

	it('reads a missing file as no login and a damaged one as an error', async () => {
		expect(await readConfig(join(dir, 'none.json'))).toBeNull();
		const path = join(dir, 'bad.json');
		await writeFile(path, 'not json');
		await expect(readConfig(path)).rejects.toThrow(/not valid JSON/);
		await writeFile(path, '{"url": 1}');
		await expect(readConfig(path)).rejects.toThrow(/no url and token/);
	});
});

describe('resolveConnection', () => {
	const stored = { url: 'http://saved', token: 'sb_saved' };

	it('lets the environment override each part', () => {
		expect(resolveConnection({}, stored)).toEqual(stored);
		expect(resolveConnection({ SWITCHBOARD_URL: 'http://env' }, stored)).toEqual({
			url: 'http://env',
			token: 'sb_saved'
		});
		expect(resolveConnection({ SWITCHBOARD_URL: 'http://e', SWITCHBOARD_TOKEN: 'sb_e' }, null)).toEqual({
			url: 'http://e',
			token: 'sb_e'
		});
	});

	it('asks to log in when something is missing', () => {
		expect(() => resolveConnection({}, null)).toThrow(NotLoggedInError);
		expect(() => resolveConnection({ SWITCHBOARD_URL: 'http://e' }, null)).toThrow(/switchboard login/);
	});
});
