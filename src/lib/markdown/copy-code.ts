/** Puts text on the clipboard; falls back to a hidden textarea where the Clipboard API is missing (plain http). */
export async function copyText(text: string): Promise<boolean> {
	try {
		if (navigator.clipboard && window.isSecureContext) {
			await navigator.clipboard.writeText(text);
			return true;
		}
	} catch {
		// Permission refused: fall through to the legacy path.
	}
	const area = document.createElement('textarea');
	area.value = text;
	area.setAttribute('readonly', '');
	area.style.position = 'fixed';
	area.style.opacity = '0';
	document.body.appendChild(area);
	area.select();
	let ok = false;
	try {
		ok = document.execCommand('copy');
	} finally {
		area.remove();
	}
	return ok;
}

/**
 * A Svelte action for a container of rendered markdown: one click listener serves every code
 * block's Copy button (no inline handlers, which the CSP forbids anyway).
 */
export function copyCode(node: HTMLElement) {
	async function onClick(event: MouseEvent) {
		const target = event.target;
		if (!(target instanceof Element)) return;
		const button = target.closest('button.code-copy');
		if (!button || !node.contains(button)) return;
		const code = button.closest('.code-block')?.querySelector('pre code');
		if (!code) return;
		const ok = await copyText(code.textContent ?? '');
		button.textContent = ok ? 'Copied' : 'Copy failed';
		setTimeout(() => {
			button.textContent = 'Copy';
		}, 1500);
	}
	node.addEventListener('click', onClick);
	return {
		destroy() {
			node.removeEventListener('click', onClick);
		}
	};
}
