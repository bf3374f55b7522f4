import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';

/** axe's serious and critical findings (WCAG 2.1 A and AA), one line each, for a readable failure. */
export async function seriousViolations(page: Page): Promise<string[]> {
	const results = await new AxeBuilder({ page })
		.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
		.analyze();
	return results.violations
		.filter((v) => v.impact === 'serious' || v.impact === 'critical')
		.flatMap((v) =>
			v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} — ${n.failureSummary?.split('\n')[1]?.trim() ?? ''}`)
		);
}

/**
 * What does not fit a narrow screen: the page (or its main scroll area) wider than the window, and
 * visible content beyond the window's edges that no box of its own lets you scroll to (clipped).
 * Boxes that scroll sideways on purpose (tables, code) hold wide content legitimately.
 */
export async function overflowProblems(page: Page): Promise<string[]> {
	return page.evaluate(() => {
		const problems: string[] = [];
		const width = document.documentElement.clientWidth;
		const pageScrollers = [
			document.scrollingElement,
			...document.querySelectorAll('main, [data-page-scroller]')
		];
		for (const el of pageScrollers) {
			if (el && el.scrollWidth > el.clientWidth + 1) {
				problems.push(`${describe(el)} scrolls sideways: ${el.scrollWidth} px wide in ${el.clientWidth} px`);
			}
		}
		function describe(el: Element): string {
			const id = el.id ? `#${el.id}` : '';
			const cls =
				typeof el.className === 'string' && el.className
					? `.${el.className.trim().split(/\s+/).join('.')}`
					: '';
			return `${el.tagName.toLowerCase()}${id}${cls}`;
		}
		function ownScroller(el: Element): boolean {
			for (let a = el.parentElement; a; a = a.parentElement) {
				if (pageScrollers.includes(a)) return false;
				const overflow = getComputedStyle(a).overflowX;
				if ((overflow === 'auto' || overflow === 'scroll') && a.clientWidth <= width) return true;
			}
			return false;
		}
		function shown(el: Element): boolean {
			const style = getComputedStyle(el);
			if (style.visibility === 'hidden' || el.closest('.visually-hidden, [inert], [aria-hidden="true"]'))
				return false;
			return el.checkVisibility({ opacityProperty: true, visibilityProperty: true });
		}
		for (const el of document.body.querySelectorAll('*')) {
			if (el.children.length > 0 && !el.matches('button, a, input, select, textarea, table')) continue;
			const box = el.getBoundingClientRect();
			if (box.width === 0 || box.height === 0) continue;
			if (box.right <= width + 1 && box.left >= -1) continue;
			if (!shown(el) || ownScroller(el)) continue;
			problems.push(
				`${describe(el)} is cut off: ${Math.round(box.left)}–${Math.round(box.right)} px of ${width}`
			);
		}
		return problems.slice(0, 20);
	});
}
