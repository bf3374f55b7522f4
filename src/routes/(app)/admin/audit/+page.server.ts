import { requireAdmin } from '$lib/server/auth/guards';
import type { PageServerLoad } from './$types';

/** Admins only; the people list feeds the actor filter. The rows themselves load through audit.list. */
export const load: PageServerLoad = async ({ locals, url }) => {
	requireAdmin(locals, url);
	const users = await locals.app.users.list();
	return { actors: users.map((u) => ({ id: u.id, email: u.email, name: u.name })) };
};
