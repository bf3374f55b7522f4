import { requireUser } from '$lib/server/auth/guards';
import { SETTINGS_PANEL_COOKIE, settingsPanelOpen } from '$lib/settings-panel';
import type { LayoutServerLoad } from './$types';

/**
 * Every page of the app needs a session (hooks.server.ts redirects too); the shell shows the user.
 * The theme rides along so the server's HTML is already in the person's colours, and the settings
 * panel's state so the sidebar is already as it was left.
 */
export const load: LayoutServerLoad = async ({ locals, url, cookies }) => {
	const user = requireUser(locals, url);
	const theme = await locals.app.users.theme(user.id);
	locals.theme = theme;
	return { user, theme, settingsPanelOpen: settingsPanelOpen(cookies.get(SETTINGS_PANEL_COOKIE)) };
};
