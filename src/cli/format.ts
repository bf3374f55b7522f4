import type { GenerationResult } from '../lib/sdk/helpers';

export type Column<T> = { header: string; value: (row: T) => string; align?: 'left' | 'right' };

/** A plain-text table: padded columns, a header row, no borders (easy to grep and cut). */
export function formatTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
	const cells = rows.map((row) => columns.map((column) => column.value(row)));
	const widths = columns.map((column, i) =>
		Math.max(column.header.length, ...cells.map((line) => line[i].length))
	);
	const render = (line: string[]) =>
		line
			.map((cell, i) => (columns[i].align === 'right' ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
			.join('  ')
			.trimEnd();
	return [render(columns.map((column) => column.header)), ...cells.map(render)].join('\n');
}

/** Dollars with enough digits to show small costs; null means the model has no price. */
export function formatCost(usd: number | null | undefined): string {
	if (usd === null || usd === undefined) return 'n/a';
	if (usd === 0) return '$0';
	// Two significant digits for fractions of a cent, without trailing zeros ($0.00002, not $0.000020).
	if (usd < 0.01) return `$${usd.toFixed(Math.min(12, 1 - Math.floor(Math.log10(usd)))).replace(/0+$/, '')}`;
	return `$${usd.toFixed(usd < 1 ? 4 : 2)}`;
}

export function formatCount(value: number | null | undefined): string {
	return value === null || value === undefined ? '-' : value.toLocaleString('en-US');
}

/** Price per million tokens, or '-' when unknown. */
export function formatPrice(value: number | string | null | undefined): string {
	if (value === null || value === undefined || value === '') return '-';
	return `$${Number(value)}`;
}

/** The line printed after an answer: who answered, tokens, cost, and any fallback on the way. */
export function formatUsageLine(result: GenerationResult): string {
	const { usage } = result;
	const approx = usage.estimated ? '~' : '';
	const cached =
		usage.cacheReadTokens || usage.cacheWriteTokens
			? ` (${formatCount(usage.cacheReadTokens)} cached, ${formatCount(usage.cacheWriteTokens)} written)`
			: '';
	const parts = [
		`${result.providerId}/${result.modelId}`,
		`${approx}${formatCount(usage.inputTokens)} in${cached} / ${approx}${formatCount(usage.outputTokens)} out tokens`,
		formatCost(usage.costUsd)
	];
	if (result.finishReason !== 'stop') parts.push(`finish: ${result.finishReason}`);
	for (const fallback of result.fallbacks) {
		parts.push(
			`fell back from ${fallback.from.providerId}/${fallback.from.modelId} (${fallback.reason}) to ${fallback.to.providerId}/${fallback.to.modelId}`
		);
	}
	return parts.join(' · ');
}

/** Dim text for a terminal that wants color (https://no-color.org). */
export function dim(text: string, color: boolean): string {
	return color ? `\u001b[2m${text}\u001b[22m` : text;
}

export function wantsColor(stream: { isTTY?: boolean }, env: Record<string, string | undefined>): boolean {
	if (env.NO_COLOR) return false;
	if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return true;
	return !!stream.isTTY && env.TERM !== 'dumb';
}
