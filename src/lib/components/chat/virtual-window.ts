/**
 * Which items of a long list to render: those in or near the viewport. The rest are stood in for
 * by two spacers of their (measured or estimated) heights, so the scrollbar and positions stay true.
 * Pure, so it is tested in node.
 */
export type VirtualWindow = { start: number; end: number; before: number; after: number; total: number };

export function virtualWindow(
	heights: readonly number[],
	view: { top: number; height: number; overscan: number }
): VirtualWindow {
	const total = heights.reduce((sum, h) => sum + h, 0);
	const from = Math.max(0, view.top - view.overscan);
	const to = view.top + view.height + view.overscan;
	let start = heights.length;
	let end = heights.length;
	let offset = 0;
	let before = 0;
	for (let i = 0; i < heights.length; i++) {
		const bottom = offset + heights[i];
		if (start === heights.length && bottom > from) {
			start = i;
			before = offset;
		}
		if (offset >= to) {
			end = i;
			break;
		}
		offset = bottom;
	}
	// Scrolled past the end (the list shrank): keep the last item so something is on screen.
	if (start === heights.length && heights.length > 0) {
		start = heights.length - 1;
		before = total - heights[start];
	}
	let rendered = 0;
	for (let i = start; i < end; i++) rendered += heights[i];
	return { start, end, before, after: total - before - rendered, total };
}
