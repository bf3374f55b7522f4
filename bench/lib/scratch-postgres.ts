import postgres from 'postgres';

/** The cluster the bench uses when BENCH_DATABASE_URL is not set (the local development one). */
export const LOCAL_BENCH_URL = 'postgres://switchboard:switchboard@127.0.0.1:5432/switchboard_bench';

export type ScratchDatabase = {
	url: string;
	/** How the bench got it, for the report (never the password). */
	description: string;
	/** Drops what the bench made, leaving the cluster as it found it. */
	drop(): Promise<void>;
};

const INSUFFICIENT_PRIVILEGE = '42501';
const INVALID_CATALOG_NAME = '3D000';

function withDatabase(url: string, name: string): string {
	const target = new URL(url);
	target.pathname = `/${name}`;
	return target.href;
}

/** user@host:port/db, for the report. */
export function describeUrl(url: string): string {
	const parsed = new URL(url);
	return `${parsed.username}@${parsed.host}${parsed.pathname}`;
}

/** Tables or a Drizzle migrations schema: something the bench did not make and must not wipe. */
async function isEmpty(sql: postgres.Sql): Promise<boolean> {
	const [{ tables }] = await sql<{ tables: number }[]>`
		select count(*)::int as tables from pg_tables
		where schemaname not in ('pg_catalog', 'information_schema')`;
	const [{ schemas }] = await sql<{ schemas: number }[]>`
		select count(*)::int as schemas from pg_namespace where nspname = 'drizzle'`;
	return tables === 0 && schemas === 0;
}

/**
 * A fresh database for one B3 app: `CREATE DATABASE <name>_scratch_<pid>` next to the given one, dropped
 * afterwards. A role without CREATEDB (as here) gets the given database itself instead, but only when it
 * is empty, and it is emptied again afterwards (schemas public and drizzle recreated/dropped), so the
 * bench never wipes data it did not write.
 */
export async function scratchPostgres(baseUrl: string): Promise<ScratchDatabase> {
	try {
		return await scratchBeside(baseUrl, baseUrl);
	} catch (error) {
		if ((error as { code?: string }).code !== INVALID_CATALOG_NAME) throw error;
		// The named database does not exist yet (a fresh cluster): create the scratch one from the
		// maintenance database instead, under the same name it would have had.
		return scratchBeside(baseUrl, withDatabase(baseUrl, 'postgres'));
	}
}

/** `adminUrl`: the database the bench connects to for creating and dropping the scratch one. */
async function scratchBeside(baseUrl: string, adminUrl: string): Promise<ScratchDatabase> {
	const admin = postgres(adminUrl, { max: 1, onnotice: () => {}, connect_timeout: 10 });
	try {
		const baseName = new URL(baseUrl).pathname.slice(1) || 'postgres';
		const name = `${baseName}_scratch_${process.pid}`;
		try {
			await admin.unsafe(`create database "${name}"`);
			const url = withDatabase(baseUrl, name);
			return {
				url,
				description: `scratch database ${describeUrl(url)} (created for this run, dropped after)`,
				async drop() {
					const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
					await sql.unsafe(`drop database if exists "${name}" with (force)`).finally(() => sql.end());
				}
			};
		} catch (error) {
			if ((error as { code?: string }).code !== INSUFFICIENT_PRIVILEGE) throw error;
		}
		if (!(await isEmpty(admin))) {
			throw new Error(
				`cannot create a scratch database on ${describeUrl(baseUrl)} (the role lacks CREATEDB) and that ` +
					'database is not empty. Point BENCH_DATABASE_URL at an empty database the bench may fill and ' +
					'empty again, or grant CREATEDB.'
			);
		}
		return {
			url: baseUrl,
			description: `${describeUrl(baseUrl)} (empty; the role may not create databases, so it is emptied again after)`,
			async drop() {
				const sql = postgres(baseUrl, { max: 1, onnotice: () => {} });
				try {
					await sql.unsafe('drop schema if exists drizzle cascade');
					await sql.unsafe('drop schema if exists public cascade');
					await sql.unsafe('create schema public');
				} finally {
					await sql.end();
				}
			}
		};
	} finally {
		await admin.end();
	}
}
