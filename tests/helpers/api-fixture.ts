import { afterEach, beforeEach } from 'vitest';
import type { UserRole } from '../../src/lib/schemas/auth';
import type { App } from '../../src/lib/server/app';
import type { Env } from '../../src/lib/server/env-schema';
import {
	createApiClient,
	createUser,
	startApiServer,
	type ApiClient,
	type ApiClientOptions,
	type ApiServer,
	type TestUser
} from './auth-client';
import { useTestDatabase } from './test-database';

export type ApiFixture = {
	readonly testDb: ReturnType<typeof useTestDatabase>;
	readonly app: App;
	readonly url: string;
	/** A client of this test's server (anonymous unless `options` carry a cookie or token). */
	client(options?: ApiClientOptions): ApiClient;
	/** A client signed in as `user` (its session cookie). */
	as(user: Pick<TestUser, 'cookie'>): ApiClient;
	/** A new account (see createUser) and a client signed in as it. */
	signedIn(options?: {
		email?: string;
		name?: string;
		role?: UserRole;
	}): Promise<TestUser & { client: ApiClient }>;
};

/**
 * The setup most API tests share: the test database, a fresh app and HTTP server for each test
 * (closed after it), and clients of it. Call it in a describe block, as useTestDatabase:
 *
 *   const server = useApiServer({ now: () => now });
 *   const admin = await server.signedIn({ role: 'admin' });
 *   await admin.client.trpc.auth.me.query();
 */
export function useApiServer(options: { config?: Partial<Env>; now?: () => Date } = {}): ApiFixture {
	const testDb = useTestDatabase();
	let current: ApiServer | undefined;
	beforeEach(async () => {
		current = await startApiServer(testDb.handle, options);
	});
	afterEach(async () => {
		await current?.close();
		current = undefined;
	});
	const server = () => {
		if (!current) throw new Error('useApiServer: the server runs only inside a test');
		return current;
	};
	const fixture: ApiFixture = {
		testDb,
		get app() {
			return server().app;
		},
		get url() {
			return server().url;
		},
		client: (clientOptions) => createApiClient(server().url, clientOptions),
		as: (user) => createApiClient(server().url, { cookie: user.cookie }),
		async signedIn(userOptions) {
			const user = await createUser(server().app, userOptions);
			return { ...user, client: fixture.as(user) };
		}
	};
	return fixture;
}
