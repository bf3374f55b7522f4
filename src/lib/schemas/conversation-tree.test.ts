import { describe, expect, it } from 'vitest';
import { activePath, comparedAnswers, newestLeaf, pathTo, siblingsOf } from './conversation-tree';

let clock = 0;
const m = (id: string, parentId: string | null) => ({ id, parentId, createdAt: new Date(++clock) });

// u1 -> a1 -> u2 -> a2, with an edit u2b (-> a2b) and a regenerated answer a1b.
const tree = [
	m('u1', null),
	m('a1', 'u1'),
	m('u2', 'a1'),
	m('a2', 'u2'),
	m('u2b', 'a1'),
	m('a2b', 'u2b'),
	m('a1b', 'u1')
];
const ids = (list: { id: string }[]) => list.map((x) => x.id);

describe('conversation tree', () => {
	it('the active path runs from the root to the leaf', () => {
		expect(ids(activePath(tree, 'a2'))).toEqual(['u1', 'a1', 'u2', 'a2']);
		expect(ids(activePath(tree, 'a2b'))).toEqual(['u1', 'a1', 'u2b', 'a2b']);
	});

	it('a leaf with continuations shows the newest one', () => {
		expect(ids(activePath(tree, 'a1'))).toEqual(['u1', 'a1', 'u2b', 'a2b']);
		expect(newestLeaf(tree, 'u2')?.id).toBe('a2');
	});

	it('the path to a message stops there, without its continuations', () => {
		expect(ids(pathTo(tree, 'u2b'))).toEqual(['u1', 'a1', 'u2b']);
		expect(ids(pathTo(tree, 'a1'))).toEqual(['u1', 'a1']);
		expect(pathTo(tree, 'gone')).toEqual([]);
	});

	it('an unknown or missing leaf means the newest branch', () => {
		expect(ids(activePath(tree, null))).toEqual(['u1', 'a1b']);
		expect(ids(activePath(tree, 'gone'))).toEqual(['u1', 'a1b']);
		expect(activePath([], null)).toEqual([]);
	});

	it('siblings share a parent, oldest first; roots are siblings of each other', () => {
		expect(ids(siblingsOf(tree, tree[2]))).toEqual(['u2', 'u2b']);
		expect(ids(siblingsOf(tree, tree[1]))).toEqual(['a1', 'a1b']);
		expect(ids(siblingsOf([...tree, m('u1b', null)], tree[0]))).toEqual(['u1', 'u1b']);
	});

	it('a cycle in bad data ends the walk instead of looping', () => {
		const cyclic = [m('x', 'y'), m('y', 'x')];
		expect(activePath(cyclic, 'x').length).toBeLessThanOrEqual(2);
	});

	it('a comparison shows the stored answers still in the chat, while at least two remain', () => {
		expect(comparedAnswers(tree, ['a1', 'a1b'])).toEqual(['a1', 'a1b']);
		expect(comparedAnswers(tree, ['a1', 'gone', 'a1b'])).toEqual(['a1', 'a1b']);
		expect(comparedAnswers(tree, ['a1', 'gone'])).toEqual([]);
		expect(comparedAnswers(tree, null)).toEqual([]);
	});
});
