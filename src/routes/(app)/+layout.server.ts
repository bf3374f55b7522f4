import { requireUser } from '$lib/server/auth/guards';
import type { LayoutServerLoad } from './$types';

/** Every page of the app needs a session (hooks.server.ts redirects too); the shell shows the user. */
export const load: LayoutServerLoad = ({ locals, url }) => {
	return { user: requireUser(locals, url) };
};
