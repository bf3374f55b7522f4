import type { Env } from './env-schema';
import type { DatabaseHandle } from './db/client';

/**
 * Everything a request needs, built once at start (or once per test suite): the database and the
 * configuration. Routers reach services through it, so tests can build an app on their own database.
 */
export type App = {
	config: Env;
	database: DatabaseHandle;
};

export function createApp(options: { config: Env; database: DatabaseHandle }): App {
	return { config: options.config, database: options.database };
}
