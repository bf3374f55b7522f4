/**
 * Whether the sidebar's chat settings panel is open, remembered per browser in a cookie so the
 * server renders it as it was left (no panel opening and closing again as the page loads). Closed,
 * it leaves a short window's sidebar to the chat list.
 */
export const SETTINGS_PANEL_COOKIE = 'sb_settings_panel';

/** What the cookie's value says; anything but `closed` (or none) is open. */
export function settingsPanelOpen(value: string | undefined): boolean {
	return value !== 'closed';
}

/** Stores the panel's state for the next page load (a year; the browser's own setting). */
export function rememberSettingsPanel(open: boolean): void {
	document.cookie = `${SETTINGS_PANEL_COOKIE}=${open ? 'open' : 'closed'}; path=/; max-age=31536000; samesite=lax`;
}
