/*
 * A chat is a tree: each message names the one it follows (`parentId`). An edit adds a sibling user
 * message, a regenerated or compared answer a sibling answer. What a person sees, and what a provider
 * is sent, is one path from a root to the chat's active leaf. Pure and client-safe: the server, the
 * web UI and the SDK all read branches with these functions, so they cannot disagree.
 */

/** The fields the tree needs: server rows, DTOs and the UI's messages all have them. */
export type TreeMessage = { id: string; parentId: string | null; createdAt: Date };

function byAge(a: TreeMessage, b: TreeMessage): number {
	return a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Children of every message (key null: the roots), oldest first. */
export function childrenIndex<T extends TreeMessage>(messages: readonly T[]): Map<string | null, T[]> {
	const index = new Map<string | null, T[]>();
	const ids = new Set(messages.map((m) => m.id));
	for (const m of messages) {
		// A parent that is not in the chat (never the case when written by Switchboard) makes a root.
		const parent = m.parentId !== null && ids.has(m.parentId) ? m.parentId : null;
		const list = index.get(parent) ?? [];
		list.push(m);
		index.set(parent, list);
	}
	for (const list of index.values()) list.sort(byAge);
	return index;
}

/** The newest message below `fromId` (itself when it has no children), following the newest child down. */
export function newestLeaf<T extends TreeMessage>(
	messages: readonly T[],
	fromId: string | null
): T | undefined {
	const children = childrenIndex(messages);
	let current = fromId === null ? undefined : messages.find((m) => m.id === fromId);
	const seen = new Set<string>();
	for (;;) {
		const next = children.get(current ? current.id : null)?.at(-1);
		if (!next || seen.has(next.id)) return current;
		seen.add(next.id);
		current = next;
	}
}

/**
 * The branch on screen, root first: up from `leafId` to a root, then down along the newest children
 * (so a leaf that gained an answer shows it). An unknown or null leaf means the newest branch.
 */
export function activePath<T extends TreeMessage>(messages: readonly T[], leafId: string | null): T[] {
	const byId = new Map(messages.map((m) => [m.id, m]));
	const start = (leafId && byId.get(leafId)) || newestLeaf(messages, null);
	if (!start) return [];
	return pathTo(messages, (newestLeaf(messages, start.id) ?? start).id);
}

/** The messages from a root down to `id`, root first (empty when `id` is not in the chat). */
export function pathTo<T extends TreeMessage>(messages: readonly T[], id: string): T[] {
	const byId = new Map(messages.map((m) => [m.id, m]));
	const path: T[] = [];
	const seen = new Set<string>();
	for (let m = byId.get(id); m && !seen.has(m.id); m = m.parentId ? byId.get(m.parentId) : undefined) {
		seen.add(m.id);
		path.push(m);
	}
	return path.reverse();
}

/** The messages that share `message`'s place (same parent), oldest first: the `‹ 2/3 ›` of the UI. */
export function siblingsOf<T extends TreeMessage>(messages: readonly T[], message: TreeMessage): T[] {
	const ids = new Set(messages.map((m) => m.id));
	const parentOf = (m: TreeMessage) => (m.parentId !== null && ids.has(m.parentId) ? m.parentId : null);
	const parent = parentOf(message);
	return messages.filter((m) => parentOf(m) === parent).sort(byAge);
}

/**
 * The answers of a comparison still shown side by side: the stored ids that are still in the chat,
 * if at least two of them remain (one alone is a plain answer, shown with the branch switcher).
 */
export function comparedAnswers(
	messages: readonly TreeMessage[],
	stored: readonly string[] | null
): string[] {
	if (!stored) return [];
	const ids = new Set(messages.map((m) => m.id));
	const present = stored.filter((id) => ids.has(id));
	return present.length > 1 ? present : [];
}
