import { redirect } from '@sveltejs/kit';
import type { LayoutServerLoad } from './$types';

/** Signed-in visitors have nothing to do on /login or /signup. */
export const load: LayoutServerLoad = ({ locals }) => {
	if (locals.user) redirect(303, '/');
};
