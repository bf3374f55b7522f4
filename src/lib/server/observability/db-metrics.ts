import { isDatabaseUnavailable } from '../db/unavailable';
import { metrics } from './metrics';

/**
 * Times one database round trip as the app awaits it (a statement, or a whole transaction) and
 * counts it as an error when the database could not answer. Constraint violations and the like
 * are the app's business, not the database's health, so they are not counted.
 */
export function observeDb<T>(work: PromiseLike<T>): Promise<T> {
	const started = performance.now();
	return Promise.resolve(work).then(
		(value) => {
			metrics().dbQueryDuration.observe((performance.now() - started) / 1000);
			return value;
		},
		(error: unknown) => {
			metrics().dbQueryDuration.observe((performance.now() - started) / 1000);
			if (isDatabaseUnavailable(error)) metrics().dbErrors.inc();
			throw error;
		}
	);
}
