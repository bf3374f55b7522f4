import { describe, expect, it } from 'vitest';
import { describeChord, matchShortcut, shortcuts, type KeyInput } from './shortcuts';

function key(partial: Partial<KeyInput>): KeyInput {
	return { key: '', code: '', ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...partial };
}

const pc = { mac: false, inField: false };
const mac = { mac: true, inField: false };

describe('matchShortcut', () => {
	it('uses Ctrl on Windows and Linux and ⌘ on macOS', () => {
		expect(matchShortcut(key({ key: 'k', code: 'KeyK', ctrlKey: true }), pc)).toBe('searchChats');
		expect(matchShortcut(key({ key: 'k', code: 'KeyK', metaKey: true }), pc)).toBeNull();
		expect(matchShortcut(key({ key: 'k', code: 'KeyK', metaKey: true }), mac)).toBe('searchChats');
		expect(matchShortcut(key({ key: 'k', code: 'KeyK', ctrlKey: true }), mac)).toBeNull();
	});

	it('matches letters by physical key, whatever character Alt and Shift make of them', () => {
		expect(matchShortcut(key({ key: 'Ç', code: 'KeyC', altKey: true, shiftKey: true }), mac)).toBe(
			'copyLastAnswer'
		);
		expect(matchShortcut(key({ key: 'O', code: 'KeyO', ctrlKey: true, shiftKey: true }), pc)).toBe('newChat');
		expect(matchShortcut(key({ key: 'o', code: 'KeyO', ctrlKey: true }), pc)).toBeNull();
	});

	it('keeps keys that type text for the field being typed in', () => {
		const slash = key({ key: '/', code: 'Slash' });
		expect(matchShortcut(slash, pc)).toBe('focusComposer');
		expect(matchShortcut(slash, { mac: false, inField: true })).toBeNull();
		const question = key({ key: '?', code: 'Slash', shiftKey: true });
		expect(matchShortcut(question, pc)).toBe('help');
		expect(matchShortcut(question, { mac: false, inField: true })).toBeNull();
		const shiftEscape = key({ key: 'Escape', code: 'Escape', shiftKey: true });
		expect(matchShortcut(shiftEscape, { mac: false, inField: true })).toBe('focusComposer');
		expect(matchShortcut(key({ key: 'k', code: 'KeyK', ctrlKey: true }), { mac: false, inField: true })).toBe(
			'searchChats'
		);
	});

	it('needs Shift where the chord has it and refuses it where it has not', () => {
		expect(matchShortcut(key({ key: 'Escape', code: 'Escape', shiftKey: true }), pc)).toBe('focusComposer');
		expect(matchShortcut(key({ key: 'Escape', code: 'Escape' }), pc)).toBeNull();
		expect(matchShortcut(key({ key: 'K', code: 'KeyK', ctrlKey: true, shiftKey: true }), pc)).toBeNull();
	});
});

describe('describeChord', () => {
	it('writes each chord the way the platform names its keys', () => {
		const toggle = shortcuts.find((s) => s.action === 'toggleSidebar')!.chords[0];
		expect(describeChord(toggle, false)).toEqual(['Ctrl', 'Shift', 'S']);
		expect(describeChord(toggle, true)).toEqual(['⌘', 'Shift', 'S']);
		const help = shortcuts.find((s) => s.action === 'help')!.chords[0];
		expect(describeChord(help, false)).toEqual(['?']);
	});
});
