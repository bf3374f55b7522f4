// @ts-check
// The PostgreSQL client programs behind db:backup and db:restore on Postgres. The password goes
// to them in PGPASSWORD, never on a command line where `ps` would show it.
import { spawn, spawnSync } from 'node:child_process';
import { CliError } from './db-target.mjs';

/** @param {string} url */
export function connectionFor(url) {
	const parsed = new URL(url);
	const password = decodeURIComponent(parsed.password);
	parsed.password = '';
	return { uri: parsed.toString(), env: { ...process.env, PGPASSWORD: password } };
}

/**
 * The major version of a client program, or a clear refusal when it is not installed.
 * @param {string} program
 */
export function clientMajor(program) {
	const result = spawnSync(program, ['--version'], { encoding: 'utf8' });
	if (result.error || result.status !== 0) {
		throw new CliError(
			`${program} was not found: install the PostgreSQL client tools matching the server's major version ` +
				'(Debian: apt-get install postgresql-client-15)'
		);
	}
	const match = /\(PostgreSQL\)\s+(\d+)/.exec(result.stdout);
	if (!match) throw new CliError(`Could not read ${program}'s version from "${result.stdout.trim()}"`);
	return Number(match[1]);
}

/**
 * pg_dump refuses a newer server itself, but only after connecting and with a long message.
 * @param {import('postgres').Sql} sql
 * @param {string} program
 */
export async function assertClientNotOlder(sql, program) {
	const client = clientMajor(program);
	const [row] = await sql`select current_setting('server_version_num')::int as version`;
	const server = Math.floor(Number(row.version) / 10000);
	if (server > client) {
		throw new CliError(
			`The server runs PostgreSQL ${server} but ${program} is version ${client}: ` +
				`install postgresql-client-${server} (an older ${program} cannot read a newer server)`
		);
	}
}

/**
 * Runs a program, keeping its stderr for the error message.
 * @param {string} program
 * @param {string[]} args
 * @param {NodeJS.ProcessEnv} env
 */
export function run(program, args, env) {
	const result = spawnSync(program, args, { env, encoding: 'utf8' });
	if (result.error) throw new CliError(`${program} could not start`, { cause: result.error });
	if (result.status !== 0) throw new CliError(`${program} failed: ${result.stderr.trim()}`);
	return result.stdout;
}

/**
 * `producer | consumer`, failing with the stderr of whichever failed.
 * @param {{ program: string; args: string[] }} producer
 * @param {{ program: string; args: string[] }} consumer
 * @param {NodeJS.ProcessEnv} env
 */
export function pipe(producer, consumer, env) {
	return new Promise((resolve, reject) => {
		const from = spawn(producer.program, producer.args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
		const to = spawn(consumer.program, consumer.args, { env, stdio: ['pipe', 'ignore', 'pipe'] });
		/** @type {Record<string, string>} */
		const errors = { [producer.program]: '', [consumer.program]: '' };
		from.stderr.on('data', (chunk) => (errors[producer.program] += chunk));
		to.stderr.on('data', (chunk) => (errors[consumer.program] += chunk));
		from.stdout.pipe(to.stdin);
		// psql stopping early (ON_ERROR_STOP) closes the pipe; that error is psql's to report.
		to.stdin.on('error', () => {});
		/** @type {Promise<[string, number | null]>[]} */
		const exits = [from, to].map(
			(child, i) =>
				new Promise((done) => {
					child.on('error', (error) =>
						reject(new CliError(`${[producer, consumer][i].program} could not start`, { cause: error }))
					);
					child.on('close', (code) => done([[producer, consumer][i].program, code]));
				})
		);
		Promise.all(exits).then((results) => {
			const failed = results.find(([, code]) => code !== 0);
			if (failed) reject(new CliError(`${failed[0]} failed: ${errors[failed[0]].trim()}`));
			else resolve(undefined);
		});
	});
}
