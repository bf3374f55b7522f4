import postgres from 'postgres';
import { describeError, log } from '../log';

// Any fixed number: every Switchboard process on one database asks for the same lock.
const LOCK_KEY = 7_360_215_912;

/**
 * Without REDIS_URL, live state (answers' streams, stops, limits, caches) is per process, so two
 * processes on one Postgres would quietly behave wrongly. Each such process holds a session-level
 * advisory lock for its lifetime; one that cannot get it says so loudly. A warning, not a refusal:
 * during a rolling restart the old and the new process overlap for a moment, which is harmless.
 * Returns the function that lets the lock go.
 */
export async function guardSingleProcess(databaseUrl: string): Promise<() => Promise<void>> {
	const sql = postgres(databaseUrl, { max: 1, onnotice: () => {}, connect_timeout: 10 });
	try {
		const [row] = await sql<{ locked: boolean }[]>`select pg_try_advisory_lock(${LOCK_KEY}) as locked`;
		if (!row?.locked) {
			log.error(
				'ANOTHER SWITCHBOARD PROCESS USES THIS DATABASE WITHOUT REDIS_URL: streams, stops, limits and provider caches are per process and will be wrong. Set REDIS_URL on every process (README: "Running more than one instance").'
			);
		}
	} catch (error) {
		log.warn('could not check for other processes on this database', { error: describeError(error) });
	}
	return () => sql.end({ timeout: 1 });
}
