// @ts-check
// `npm run db:migrate [-- --to=<n> | --status]`: moves the configured database to migration <n>
// (up or down; default: the latest this version knows), or prints its current number alone.
// Plain Node ESM so it runs in the production image (see docs/operations/upgrade-and-rollback.md).
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readMigrations } from '../src/lib/server/db/migrations/journal.js';
import { formatVersion } from '../src/lib/server/db/migrations/plan.js';
import { migrateTo, migrationStatus } from '../src/lib/server/db/migrations/runner.js';
import { pgliteSqlClient, postgresSqlClient } from '../src/lib/server/db/migrations/sql-clients.js';
import { CliError, openPglite, openPostgres, resolveTarget, runCli } from './db-target.mjs';

/** @param {string[]} argv */
function parseOptions(argv) {
	const { values } = parseArgs({
		args: argv,
		options: { to: { type: 'string' }, status: { type: 'boolean', default: false } },
		strict: true
	});
	if (values.to !== undefined && !/^-?\d+$/.test(values.to)) {
		throw new CliError(
			`--to must be a migration number such as 3 (or -1 for an empty database), got "${values.to}"`
		);
	}
	return { status: values.status, target: values.to === undefined ? undefined : Number(values.to) };
}

/** @param {import('./db-target.mjs').DbTarget} target */
async function connect(target) {
	if (target.driver === 'postgres') {
		const sql = await openPostgres(target.url);
		return { client: postgresSqlClient(sql), close: () => sql.end({ timeout: 5 }) };
	}
	const pg = await openPglite(target.pgliteDir);
	return { client: pgliteSqlClient(pg), close: () => pg.close() };
}

await runCli(async () => {
	const options = parseOptions(process.argv.slice(2));
	const known = readMigrations(path.resolve(process.env.MIGRATIONS_DIR ?? 'drizzle'));
	const { client, close } = await connect(resolveTarget());
	try {
		if (options.status) {
			console.log(String((await migrationStatus(client, known)).current));
			return;
		}
		const plan = await migrateTo(client, known, {
			target: options.target,
			onStep: (step) => console.error(`${step.direction === 'up' ? 'Applying' : 'Reverting'} ${step.tag}…`)
		});
		const tag = known[plan.target]?.tag ?? 'empty database';
		const verb = plan.steps.length === 0 ? 'Already at' : 'Now at';
		console.log(`${verb} migration ${formatVersion(plan.target)} (${tag}).`);
	} finally {
		await close();
	}
});
