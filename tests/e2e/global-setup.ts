import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { request } from '@playwright/test';
import { startEmulators } from '../emulators';
import { call } from './support/api';
import { admin, adminStatePath, appOrigin, emulatorPorts } from './support/env';

type Me = { email: string; role: 'admin' | 'member' } | null;

/**
 * Before any spec: the provider emulators on fixed ports (they outlive a crashed worker), and the
 * e2e admin as the first account of the fresh database, its session saved for the UI specs.
 */
export default async function globalSetup() {
	const emulators = await startEmulators(emulatorPorts);

	mkdirSync(path.dirname(adminStatePath), { recursive: true });
	const context = await request.newContext({ baseURL: appOrigin });
	try {
		await call(context, 'auth.signUp', admin);
	} catch {
		// Already there (a reused database): sign in instead.
		await call(context, 'auth.signIn', { email: admin.email, password: admin.password });
	}
	const me = await call<Me>(context, 'auth.me', undefined, 'query');
	if (me?.role !== 'admin') {
		throw new Error(`The e2e admin ${admin.email} is not an admin: the database was not fresh.`);
	}
	await context.storageState({ path: adminStatePath });
	await context.dispose();

	return async () => {
		await emulators.close();
	};
}
