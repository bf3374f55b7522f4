// Connection-level failures of either driver: the database is down or gone, not a bad query.
const connectionCodes = new Set([
	'ECONNREFUSED',
	'ECONNRESET',
	'ETIMEDOUT',
	'ENOTFOUND',
	'EPIPE',
	'CONNECTION_CLOSED',
	'CONNECTION_ENDED',
	'CONNECTION_DESTROYED',
	'CONNECT_TIMEOUT',
	'57P01', // admin_shutdown
	'57P02', // crash_shutdown
	'57P03', // cannot_connect_now
	'53300', // too_many_connections
	'PGLITE_WORKER_GONE' // embedded PGlite's thread crashed or was closed
]);

/** True when an error (or one of its causes) says the database cannot be reached. */
export function isDatabaseUnavailable(error: unknown): boolean {
	let current: unknown = error;
	for (let depth = 0; current && depth < 6; depth++) {
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string' && connectionCodes.has(code)) return true;
		if (current instanceof Error && /PGlite is closed/i.test(current.message)) return true;
		current = current instanceof Error ? current.cause : undefined;
	}
	return false;
}

/**
 * SQLSTATEs of a database that is up but cannot write: class 53 (insufficient resources, e.g.
 * 53100 disk_full), class 58 (system errors, e.g. 58030 io_error) and 25006 (read-only transaction).
 */
const writeRefusedState = /^(53|58)...$|^25006$/;

/** True when an error (or one of its causes, a few deep) has a code that passes `test`. */
function hasCode(error: unknown, test: (code: string) => boolean): boolean {
	let current: unknown = error;
	for (let depth = 0; current && depth < 6; depth++) {
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string' && test(code)) return true;
		current = current instanceof Error ? current.cause : undefined;
	}
	return false;
}

/** True when an error (or one of its causes) says the database refused a write it would normally take. */
export function isDatabaseWriteRefused(error: unknown): boolean {
	return hasCode(error, (code) => writeRefusedState.test(code));
}

/**
 * True when the database refused a text it cannot hold: U+0000 (NUL), which Postgres text and json
 * refuse (22021 character_not_in_repertoire; 22P05 untranslatable_character for a json escape). The
 * text was the caller's: the request is to be refused, not reported as the server's failure.
 */
export function isUnstorableText(error: unknown): boolean {
	return hasCode(error, (code) => code === '22021' || code === '22P05');
}

/**
 * The unique violation in an error's cause chain, wherever the driver put it, with the table it hit:
 * postgres.js names it `table_name`, PGlite `table`. Null when the error is something else.
 */
export function findUniqueViolation(error: unknown): { table: string | undefined } | null {
	let current: unknown = error;
	for (let depth = 0; current && depth < 5; depth++) {
		if (typeof current === 'object' && (current as { code?: unknown }).code === '23505') {
			const { table_name, table } = current as { table_name?: unknown; table?: unknown };
			const name = table_name ?? table;
			return { table: typeof name === 'string' ? name : undefined };
		}
		current = current instanceof Error ? current.cause : undefined;
	}
	return null;
}

export function isUniqueViolation(error: unknown): boolean {
	return findUniqueViolation(error) !== null;
}
