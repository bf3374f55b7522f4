/**
 * Whether the page's scripts have taken over. Server-rendered HTML is visible before that, so a
 * control that needs JavaScript renders disabled until then instead of ignoring a click.
 */
class Hydration {
	done = $state(false);
}

export const hydration = new Hydration();
