import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { count, eq, sql } from 'drizzle-orm';
import { attachmentBlobs, users } from '$lib/server/db/schema';
import { PgliteWorkerClient } from '$lib/server/db/pglite-worker-client';
import { isDatabaseUnavailable } from '$lib/server/db/unavailable';
import { countQueries, useTestDatabase } from '../../helpers/test-database';

const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url);
const newUser = (email: string) => ({ email, passwordHash: 'not-a-real-hash' });

describe.skipIf(process.env.DATABASE_URL)('PGlite in its worker thread', () => {
	const testDb = useTestDatabase();
	const userCount = async () => (await testDb.handle.db.select({ n: count() }).from(users))[0].n;

	it('commits a transaction, and rolls back one that throws, nested savepoints included', async () => {
		const { db } = testDb.handle;
		await db.transaction(async (tx) => {
			await tx.insert(users).values(newUser('kept@example.test'));
			await tx
				.transaction(async (inner) => {
					await inner.insert(users).values(newUser('inner@example.test'));
					throw new Error('undo the inner part only');
				})
				.catch(() => {});
		});
		await db
			.transaction(async (tx) => {
				await tx.insert(users).values(newUser('dropped@example.test'));
				throw new Error('undo all of it');
			})
			.catch(() => {});
		const emails = (await db.select({ email: users.email }).from(users)).map((u) => u.email);
		expect(emails).toEqual(['kept@example.test']);
	});

	it('keeps statements from outside an open transaction out of it', async () => {
		const { db } = testDb.handle;
		let outside: Promise<number> | undefined;
		await db
			.transaction(async (tx) => {
				await tx.insert(users).values(newUser('uncommitted@example.test'));
				// Sent while the transaction is open: it must wait for it, not run inside it.
				outside = userCount();
				await tx.insert(users).values(newUser('uncommitted-2@example.test'));
				throw new Error('roll back');
			})
			.catch(() => {});
		expect(await outside).toBe(0);
	});

	it('keeps the Postgres error code and constraint of a failed statement', async () => {
		const { db } = testDb.handle;
		await db.insert(users).values(newUser('twice@example.test'));
		const failure: unknown = await db
			.insert(users)
			.values(newUser('twice@example.test'))
			.catch((error: unknown) => error);
		expect((failure as Error).cause).toMatchObject({ code: '23505', constraint: 'users_email_unique' });
		expect(isDatabaseUnavailable(failure)).toBe(false);
	});

	it('returns rows typed as before: timestamps as Dates, booleans, defaults', async () => {
		const { db } = testDb.handle;
		const [row] = await db.insert(users).values(newUser('typed@example.test')).returning();
		const [read] = await db.select().from(users).where(eq(users.id, row.id));
		expect(read.createdAt).toBeInstanceOf(Date);
		expect(read.createdAt.getTime()).toBe(row.createdAt.getTime());
		expect(read).toMatchObject({ disabled: false, role: 'member', name: null });
		const raw = (await db.execute(sql`select now()::timestamptz as at`)) as { rows: { at: unknown }[] };
		expect(typeof raw.rows[0].at).toBe('string');
	});

	it('prepares a statement with parameters once and runs it by name, in and out of transactions', async () => {
		const { db } = testDb.handle;
		// A text no other test sends: the test database is shared by every file of this worker.
		const byEmail = (executor: Pick<typeof db, 'select'>, email: string) =>
			executor
				.select({ email: users.email })
				.from(users)
				.where(sql`${users.email} = ${email} and 'prepared once' <> ''`);
		await db.insert(users).values([newUser('one@example.test'), newUser('two@example.test')]);
		expect(await byEmail(db, 'one@example.test')).toEqual([{ email: 'one@example.test' }]);
		expect(await byEmail(db, 'two@example.test')).toEqual([{ email: 'two@example.test' }]);
		await db.transaction(async (tx) => {
			expect(await byEmail(tx, 'two@example.test')).toEqual([{ email: 'two@example.test' }]);
		});
		const named = (await db.execute(
			sql`select count(*)::int as n from pg_prepared_statements where statement like '%''prepared once''%'`
		)) as { rows: { n: number }[] };
		expect(named.rows[0].n).toBe(1);
	});

	it('answers a statement whose table changed shape since it was prepared', async () => {
		const { db } = testDb.handle;
		await db.execute(sql.raw('create table reshaped (id integer primary key, body text)'));
		try {
			await db.execute(sql`insert into reshaped values (${1}, ${'first'})`);
			const read = () =>
				db.execute(sql`select * from reshaped where id = ${1}`) as Promise<{ rows: unknown[] }>;
			expect((await read()).rows).toEqual([{ id: 1, body: 'first' }]);
			await db.execute(sql.raw("alter table reshaped add column note text default 'added'"));
			expect((await read()).rows).toEqual([{ id: 1, body: 'first', note: 'added' }]);
			expect((await read()).rows).toEqual([{ id: 1, body: 'first', note: 'added' }]);
		} finally {
			await db.execute(sql.raw('drop table reshaped'));
		}
	});

	it('carries bytes exactly: in binary to a prepared statement, as hex text otherwise, and back', async () => {
		const { db } = testDb.handle;
		const every = Buffer.from(Array.from({ length: 512 }, (_, i) => i % 256));
		const large = randomBytes(3 * 1024 * 1024);
		await db.insert(attachmentBlobs).values([
			{ sha256: 'every byte', data: every, byteSize: every.length },
			{ sha256: 'large', data: large, byteSize: large.length },
			{ sha256: 'empty', data: Buffer.alloc(0), byteSize: 0 }
		]);
		const read = async (sha256: string) =>
			(await db.select().from(attachmentBlobs).where(eq(attachmentBlobs.sha256, sha256)))[0].data;
		expect((await read('every byte')).equals(every)).toBe(true);
		expect((await read('large')).equals(large)).toBe(true);
		expect((await read('empty')).length).toBe(0);
		// Postgres holds the same bytes (not, say, the hex text stored as bytes).
		const stored = (await db.execute(
			sql`select encode(data, 'hex') as hex, length(data) as n from attachment_blobs where sha256 = 'every byte'`
		)) as { rows: { hex: string; n: number }[] };
		expect(stored.rows[0]).toEqual({ hex: every.toString('hex'), n: 512 });
		// A statement without parameters goes through PGlite's query(), with the same hex codec.
		const literal = (await db.execute(sql.raw(`select '\\x00ff10'::bytea as data`))) as {
			rows: { data: Uint8Array }[];
		};
		expect([...literal.rows[0].data]).toEqual([0, 255, 16]);
	});

	it('still counts statements through the Drizzle logger', async () => {
		const { db } = testDb.handle;
		const statements = await countQueries(async () => {
			await db.insert(users).values(newUser('counted@example.test'));
			await userCount();
		});
		expect(statements).toBe(2);
	});
});

describe('a crashed database thread', () => {
	it('fails every request as "database unavailable" and reports it once', async () => {
		const reports: Error[] = [];
		const client = await PgliteWorkerClient.start(
			fixture('crashing-worker.mjs').href,
			{ dataDir: 'memory://' },
			(error) => reports.push(error)
		);
		const first = await client.query('select 1').catch((error: unknown) => error);
		const second = await client.query('select 1').catch((error: unknown) => error);
		expect(isDatabaseUnavailable(first)).toBe(true);
		expect(isDatabaseUnavailable(second)).toBe(true);
		expect(reports).toHaveLength(1);
		await client.close();
	});
});

function runChild(dataDir: string, mode: 'write' | 'read'): Promise<{ code: number | null; stdout: string }> {
	const script = fileURLToPath(fixture('open-in-child.ts'));
	const child = spawn(process.execPath, ['--import', 'tsx', script, dataDir, mode], {
		stdio: ['ignore', 'pipe', 'inherit']
	});
	let stdout = '';
	child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
	return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout })));
}

describe('the process around the database thread', () => {
	it('ends after close() with the data on disk, and ends on its own when never closed', async () => {
		const dataDir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-worker-'));
		try {
			expect(await runChild(dataDir, 'write')).toMatchObject({ code: 0 });
			const read = await runChild(dataDir, 'read');
			expect(read.code).toBe(0);
			expect(JSON.parse(read.stdout)).toEqual([{ body: 'kept across restarts' }]);
		} finally {
			rmSync(dataDir, { recursive: true, force: true });
		}
	}, 180_000);
});
