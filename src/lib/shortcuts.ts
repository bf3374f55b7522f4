/**
 * The app's keyboard shortcuts: one list, read by the key handler and by the `?` dialog, so what
 * the dialog shows is what works. Pure, so the matching is tested in node.
 */
export type ShortcutAction =
	'newChat' | 'searchChats' | 'focusComposer' | 'toggleSidebar' | 'copyLastAnswer' | 'help';

type Chord = {
	key: string;
	/** Ctrl on Windows and Linux, ⌘ on macOS. */
	mod?: boolean;
	shift?: boolean;
	alt?: boolean;
};

export type Shortcut = {
	action: ShortcutAction;
	label: string;
	chords: Chord[];
};

export const shortcuts: readonly Shortcut[] = [
	{ action: 'newChat', label: 'New chat', chords: [{ key: 'o', mod: true, shift: true }] },
	{ action: 'searchChats', label: 'Search chats', chords: [{ key: 'k', mod: true }] },
	{
		action: 'focusComposer',
		label: 'Focus the message box',
		chords: [{ key: 'Escape', shift: true }, { key: '/' }]
	},
	{
		action: 'toggleSidebar',
		label: 'Show or hide the sidebar',
		chords: [{ key: 's', mod: true, shift: true }]
	},
	// Alt, not Ctrl: Ctrl+Shift+C opens the browser's element inspector.
	{
		action: 'copyLastAnswer',
		label: 'Copy the last answer',
		chords: [{ key: 'c', alt: true, shift: true }]
	},
	{ action: 'help', label: 'Show these shortcuts', chords: [{ key: '?', shift: true }] }
];

export type KeyInput = Pick<KeyboardEvent, 'key' | 'code' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>;

/**
 * Letters are compared by physical key (`code`), since Alt and Shift change `key` (Alt+Shift+C is
 * `Ç` on a Mac); symbols like `?` and `/` by `key`, since their position differs between layouts.
 */
function matches(chord: Chord, event: KeyInput, mac: boolean): boolean {
	const mod = mac ? event.metaKey : event.ctrlKey;
	const other = mac ? event.ctrlKey : event.metaKey;
	if (!!chord.mod !== mod || other || !!chord.alt !== event.altKey) return false;
	if (/^[a-z]$/.test(chord.key))
		return !!chord.shift === event.shiftKey && event.code === `Key${chord.key.toUpperCase()}`;
	// `?` needs Shift on most layouts and `/` may too: for symbols Shift is part of the key itself.
	if (chord.key.length === 1) return event.key === chord.key;
	return !!chord.shift === event.shiftKey && event.key === chord.key;
}

/** A plain character (`/`, `?`): in a text field it is text being typed, not a shortcut. */
function typesText(chord: Chord): boolean {
	return !chord.mod && !chord.alt && chord.key.length === 1;
}

export function matchShortcut(
	event: KeyInput,
	options: { mac: boolean; inField: boolean }
): ShortcutAction | null {
	for (const shortcut of shortcuts) {
		const hit = shortcut.chords.some(
			(chord) => !(options.inField && typesText(chord)) && matches(chord, event, options.mac)
		);
		if (hit) return shortcut.action;
	}
	return null;
}

/** How a chord is written for the person reading the dialog. */
export function describeChord(chord: Chord, mac: boolean): string[] {
	const keys: string[] = [];
	if (chord.mod) keys.push(mac ? '⌘' : 'Ctrl');
	if (chord.alt) keys.push(mac ? '⌥' : 'Alt');
	if (chord.shift && chord.key !== '?') keys.push('Shift');
	keys.push(chord.key === 'Escape' ? 'Esc' : chord.key.toUpperCase());
	return keys;
}
