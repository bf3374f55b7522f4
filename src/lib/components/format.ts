/** Number and date formatting shared by the chat, settings and usage screens. */

const integer = new Intl.NumberFormat('en-US');

export function formatInteger(value: number | null | undefined): string {
	return value === null || value === undefined ? '–' : integer.format(value);
}

/** 1234 → "1.2K", 200000 → "200K", 1048576 → "1M". */
export function formatCompact(value: number | null | undefined): string {
	if (value === null || value === undefined) return '–';
	if (value < 1000) return String(value);
	const units: [number, string][] = [
		[1e9, 'B'],
		[1e6, 'M'],
		[1e3, 'K']
	];
	for (const [size, unit] of units) {
		if (value >= size) {
			const scaled = value / size;
			const text =
				scaled >= 100 || Number.isInteger(scaled) ? Math.round(scaled).toString() : scaled.toFixed(1);
			return `${text.replace(/\.0$/, '')}${unit}`;
		}
	}
	return String(value);
}

/** Costs are small: show enough digits to be meaningful, never "$0.00" for a real cost. */
export function formatUsd(value: number | null | undefined): string {
	if (value === null || value === undefined) return '–';
	if (value === 0) return '$0';
	if (value < 0.0001) return '<$0.0001';
	if (value < 1) return `$${value.toFixed(4).replace(/0{1,2}$/, '')}`;
	return `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** How many decimals a number needs to be written exactly (to six significant digits): 0.25 → 2, 2e-5 → 5. */
function decimalsOf(value: number): number {
	const [digits, exponent] = Number(value.toPrecision(6)).toExponential().split('e');
	const fraction = digits.split('.')[1]?.length ?? 0;
	return Math.max(0, fraction - Number(exponent));
}

/**
 * A money axis's tick: as many decimals as the step between ticks needs (cents at least below a
 * dollar), so ticks a few hundredths of a cent apart never read alike, as formatUsd's would.
 */
export function formatUsdTick(value: number, step: number): string {
	if (value === 0) return '$0';
	const decimals = step >= 1 ? decimalsOf(step) : Math.min(8, Math.max(2, decimalsOf(step)));
	return `$${value.toLocaleString('en-US', { minimumFractionDigits: Math.min(2, decimals), maximumFractionDigits: decimals })}`;
}

/** A price per million tokens: "$3", "$0.15", "free"; null → "no price". */
export function formatPrice(value: number | null | undefined): string {
	if (value === null || value === undefined) return 'no price';
	if (value === 0) return 'free';
	return `$${Number(value.toFixed(4))}`;
}

export type DateGroup = { label: string; order: number };

/** The sidebar's date groups: Today, Yesterday, Previous 7 days, Previous 30 days, then months. */
export function dateGroup(date: Date, now: Date = new Date()): DateGroup {
	const startOfToday = new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime();
	const day = 86_400_000;
	const t = date.getTime();
	if (t >= startOfToday) return { label: 'Today', order: 0 };
	if (t >= startOfToday - day) return { label: 'Yesterday', order: 1 };
	if (t >= startOfToday - 7 * day) return { label: 'Previous 7 days', order: 2 };
	if (t >= startOfToday - 30 * day) return { label: 'Previous 30 days', order: 3 };
	const label = date.toLocaleDateString('en-US', { month: 'long', year: 'numeric' });
	return {
		label,
		order: 4 + (now.getFullYear() * 12 + now.getMonth() - (date.getFullYear() * 12 + date.getMonth()))
	};
}

export function groupByDate<T>(items: T[], dateOf: (item: T) => Date, now: Date = new Date()) {
	const groups = new Map<string, { label: string; order: number; items: T[] }>();
	for (const item of items) {
		const group = dateGroup(dateOf(item), now);
		const entry = groups.get(group.label) ?? { ...group, items: [] };
		entry.items.push(item);
		groups.set(group.label, entry);
	}
	return [...groups.values()].sort((a, b) => a.order - b.order);
}

export function formatDay(date: Date): string {
	return date.toLocaleDateString('en-US', { dateStyle: 'medium' });
}
