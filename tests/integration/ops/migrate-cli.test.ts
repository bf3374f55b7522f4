import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationsFolder } from '$lib/server/db/migrate';
import { formatVersion } from '$lib/server/db/migrations/plan.js';
import { createScratch, runScript, type Scratch } from './scratch';

type Journal = { entries: { idx: number; tag: string }[] };
const journal = JSON.parse(
	readFileSync(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8')
) as Journal;
const latest = journal.entries.length - 1;
const tagOf = (idx: number) => journal.entries[idx].tag;

/** drizzle/ as the previous release shipped it: every migration but the newest. */
function previousRelease(dir: string): string {
	const folder = path.join(dir, 'drizzle');
	mkdirSync(path.join(folder, 'meta'), { recursive: true });
	const entries = journal.entries.slice(0, -1);
	writeFileSync(path.join(folder, 'meta/_journal.json'), JSON.stringify({ ...journal, entries }));
	for (const { tag } of entries) {
		for (const file of [`${tag}.sql`, `${tag}.down.sql`]) {
			copyFileSync(path.join(migrationsFolder, file), path.join(folder, file));
		}
	}
	return folder;
}

/*
 * npm run db:migrate as scripts/deploy.sh and an operator use it, on the suite's driver: the
 * release after an upgrade, then the previous release (an older drizzle/) rolling it back.
 */
describe('db:migrate', () => {
	let scratch: Scratch;
	let dir: string;
	beforeAll(async () => {
		scratch = await createScratch('migrate_cli');
		dir = await mkdtemp(path.join(tmpdir(), 'switchboard-release-'));
	});
	afterAll(async () => {
		await scratch?.dispose();
		await rm(dir, { recursive: true, force: true });
	});

	it('rejects a --to that is not a number before opening anything', async () => {
		expect(await runScript('migrate.mjs', ['--to=latest'], scratch.env)).toMatchObject({
			code: 1,
			stdout: '',
			stderr: '--to must be a migration number such as 3 (or -1 for an empty database), got "latest"\n'
		});
	});

	it(
		'upgrades, and the previous release refuses the newer schema, rolls it back and reports it',
		{ timeout: 300_000 },
		async () => {
			const upgrade = await runScript('migrate.mjs', [], scratch.env);
			expect(upgrade).toMatchObject({
				code: 0,
				stdout: `Now at migration ${formatVersion(latest)} (${tagOf(latest)}).\n`
			});

			const previous = { ...scratch.env, MIGRATIONS_DIR: previousRelease(dir) };
			const refused = await runScript('migrate.mjs', [], previous);
			expect(refused).toMatchObject({ code: 1, stdout: '' });
			expect(refused.stderr).toBe(
				`The database schema is at migration ${formatVersion(latest)} (${tagOf(latest)}), newer than this version ` +
					`of Switchboard knows (${formatVersion(latest - 1)}). Run the newer version, or migrate down with: ` +
					`npm run db:migrate -- --to=${latest - 1}\n`
			);

			const rollback = await runScript('migrate.mjs', [`--to=${latest - 1}`], previous);
			expect(rollback).toMatchObject({
				code: 0,
				stdout: `Now at migration ${formatVersion(latest - 1)} (${tagOf(latest - 1)}).\n`,
				stderr: `Reverting ${tagOf(latest)}…\n`
			});

			expect(await runScript('migrate.mjs', ['--status'], scratch.env)).toMatchObject({
				code: 0,
				stdout: `${latest - 1}\n`
			});
		}
	);
});
