import { error, redirect } from '@sveltejs/kit';
import { themeSchema } from '$lib/schemas/preferences';
import { requireSession, safeNextPath } from '$lib/server/auth/guards';
import type { RequestHandler } from './$types';

/**
 * The theme switch as a plain form post, so it works before the page's scripts load (after that
 * the switch calls `preferences.setTheme` instead). Goes back to the page it was sent from.
 */
export const POST: RequestHandler = async (event) => {
	const { user } = await requireSession(event);
	const data = await event.request.formData();
	const parsed = themeSchema.safeParse(data.get('theme'));
	if (!parsed.success) error(400, 'Choose system, light or dark.');
	await event.locals.app.users.setTheme(user.id, parsed.data);
	const back = data.get('back');
	redirect(303, safeNextPath(typeof back === 'string' ? back : null));
};
