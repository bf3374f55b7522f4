import { describe, expect, it } from 'vitest';
import { settingsPanelOpen } from './settings-panel';

describe('settingsPanelOpen', () => {
	it('is open unless the cookie says closed: a first visit, or a value from elsewhere, shows the panel', () => {
		expect(settingsPanelOpen(undefined)).toBe(true);
		expect(settingsPanelOpen('open')).toBe(true);
		expect(settingsPanelOpen('garbage')).toBe(true);
		expect(settingsPanelOpen('closed')).toBe(false);
	});
});
