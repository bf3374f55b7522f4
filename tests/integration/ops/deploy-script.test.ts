import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/*
 * scripts/deploy.sh against a fake `docker` (fake-docker/docker) first on PATH: it records every call and
 * fails the calls a test names, so the order of the steps and each rollback path are checked without Docker.
 */
const script = fileURLToPath(new URL('../../../scripts/deploy.sh', import.meta.url));
const fakeDockerDir = fileURLToPath(new URL('./fake-docker', import.meta.url));

type FailRule = { match: string; times?: number };

let dir: string;
let log: string;
beforeEach(async () => {
	dir = await mkdtemp(join(tmpdir(), 'switchboard-deploy-'));
	log = join(dir, 'docker.log');
});
afterEach(async () => {
	await rm(dir, { recursive: true, force: true });
});

function deploy(args: string[] = [], fail: FailRule[] = []) {
	const result = spawnSync('bash', [script, ...args], {
		encoding: 'utf8',
		env: {
			PATH: [fakeDockerDir, dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'].join(':'),
			FAKE_DOCKER_LOG: log,
			FAKE_DOCKER_FAIL: JSON.stringify(fail),
			HEALTH_RETRIES: '3',
			HEALTH_INTERVAL: '0'
		}
	});
	return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The docker calls in order, with the backup's timestamp replaced so lists compare exactly. */
async function dockerCalls(): Promise<string[]> {
	if (!existsSync(log)) return [];
	const text = await readFile(log, 'utf8');
	return text
		.trimEnd()
		.split('\n')
		.map((line) => line.replace(/switchboard-\d{8}T\d{6}Z\.dump/, 'switchboard-STAMP.dump'));
}

const backup = '/backups/switchboard-STAMP.dump';
const health = 'compose exec -T app node scripts/healthcheck.mjs';
const upToBuild = [
	'compose config --quiet',
	'compose up -d --wait postgres redis ollama',
	'image inspect switchboard:latest',
	`compose run --rm -T app npm run --silent db:backup -- --out ${backup}`,
	'image tag switchboard:latest switchboard:previous',
	'compose build app'
];
const rollback = [
	'image tag switchboard:previous switchboard:latest',
	'compose stop app',
	`compose run --rm -T app npm run db:restore -- ${backup}`,
	'compose up -d --no-build app',
	health
];

describe('scripts/deploy.sh', () => {
	it('backs up, keeps the old image, builds, migrates, starts and waits for /healthz, in that order', async () => {
		const run = deploy();
		expect(run.stderr).toBe('');
		expect(run.code).toBe(0);
		expect(await dockerCalls()).toEqual([
			...upToBuild,
			'compose run --rm -T app npm run db:migrate',
			'compose up -d --no-build app',
			health
		]);
		expect(run.stdout).toContain('Deployed switchboard:latest');
	});

	it('keeps polling /healthz while the new version starts', async () => {
		const run = deploy([], [{ match: 'healthcheck', times: 2 }]);
		expect(run.code).toBe(0);
		const calls = await dockerCalls();
		expect(calls.filter((call) => call === health)).toHaveLength(3);
		expect(calls).not.toContain('compose stop app');
	});

	it('rolls back to the previous image and restores the backup when /healthz never answers', async () => {
		const run = deploy([], [{ match: 'healthcheck', times: 3 }]);
		expect(run.code).toBe(1);
		expect(await dockerCalls()).toEqual([
			...upToBuild,
			'compose run --rm -T app npm run db:migrate',
			'compose up -d --no-build app',
			health,
			health,
			health,
			...rollback
		]);
		expect(run.stdout).toContain('FAILED: the new version did not become healthy');
		expect(run.stdout).toContain('Rolled back');
	});

	it('rolls back when the migration fails, without starting the new version', async () => {
		const run = deploy([], [{ match: 'db:migrate' }]);
		expect(run.code).toBe(1);
		expect(await dockerCalls()).toEqual([
			...upToBuild,
			'compose run --rm -T app npm run db:migrate',
			...rollback
		]);
	});

	it('exits 3 and names the backup when the rollback fails too', async () => {
		const run = deploy([], [{ match: 'healthcheck' }]);
		expect(run.code).toBe(3);
		expect(run.stdout).toContain(`ROLLBACK FAILED`);
		expect(run.stdout).toMatch(/Backup to restore by hand: \/backups\/switchboard-\d{8}T\d{6}Z\.dump/);
		expect((await dockerCalls()).slice(-rollback.length - 2)).toEqual([...rollback, health, health]);
	});

	it('changes nothing when the backup fails', async () => {
		const run = deploy([], [{ match: 'db:backup' }]);
		expect(run.code).toBe(1);
		expect(await dockerCalls()).toEqual(upToBuild.slice(0, 4));
		expect(run.stdout).toContain('the backup did not complete; nothing was changed');
	});

	it('leaves the running version alone when the build fails', async () => {
		const run = deploy([], [{ match: 'compose build' }]);
		expect(run.code).toBe(1);
		expect(await dockerCalls()).toEqual(upToBuild);
	});

	it('on a first deployment skips the backup and has nothing to roll back to', async () => {
		const run = deploy([], [{ match: 'image inspect' }, { match: 'healthcheck' }]);
		expect(run.code).toBe(1);
		expect(await dockerCalls()).toEqual([
			'compose config --quiet',
			'compose up -d --wait postgres redis ollama',
			'image inspect switchboard:latest',
			'compose build app',
			'compose run --rm -T app npm run db:migrate',
			'compose up -d --no-build app',
			health,
			health,
			health
		]);
		expect(run.stdout).toContain('First deployment: there is no previous version to return to');
	});

	it('--dry-run prints every step and the rollback, and runs nothing', async () => {
		const run = deploy(['--dry-run']);
		expect(run.code).toBe(0);
		expect(await dockerCalls()).toEqual([]);
		const printed = run.stdout
			.split('\n')
			.filter((line) => line.startsWith('+ docker '))
			.map((line) =>
				line.slice('+ docker '.length).replace(/switchboard-\d{8}T\d{6}Z\.dump/, 'switchboard-STAMP.dump')
			);
		expect(printed).toEqual([
			...upToBuild,
			'compose run --rm -T app npm run db:migrate',
			'compose up -d --no-build app',
			health,
			...rollback
		]);
	});

	it('refuses unknown options and bad settings with exit 2', () => {
		expect(deploy(['--force']).code).toBe(2);
		const bad = spawnSync('bash', [script], {
			encoding: 'utf8',
			env: { PATH: [fakeDockerDir, '/usr/bin', '/bin'].join(':'), HEALTH_RETRIES: 'often' }
		});
		expect(bad.status).toBe(2);
		expect(bad.stderr).toContain('HEALTH_RETRIES must be a whole number');
	});
});
