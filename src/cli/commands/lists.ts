import { typedErrors, type RouterOutputs } from '../../lib/sdk/helpers';
import type { Command } from '../args';
import type { CommandContext } from '../context';
import { formatCost, formatCount, formatPrice, formatTable, type Column } from '../format';
import { writeJson } from '../io';
import { shownOn } from '../terminal-text';

type Provider = RouterOutputs['providers']['list'][number];
type Model = RouterOutputs['models']['list'][number];
type UsageRow = RouterOutputs['usage']['summary'][number];

const yesNo = (value: boolean) => (value ? 'yes' : 'no');

const providerColumns: Column<Provider>[] = [
	{ header: 'ID', value: (p) => p.id },
	{ header: 'NAME', value: (p) => p.displayName },
	{ header: 'KIND', value: (p) => p.kind },
	{ header: 'ENABLED', value: (p) => yesNo(p.enabled) },
	{ header: 'CONFIGURED', value: (p) => yesNo(p.configured) },
	{ header: 'DEFAULT', value: (p) => (p.isDefault ? '*' : '') },
	{ header: 'STATUS', value: (p) => p.status }
];

const modelColumns: Column<Model>[] = [
	{ header: 'PROVIDER', value: (m) => m.providerId },
	{ header: 'MODEL', value: (m) => m.modelId },
	{ header: 'NAME', value: (m) => m.displayName ?? '' },
	{ header: 'CONTEXT', value: (m) => formatCount(m.contextWindow), align: 'right' },
	{ header: 'IN $/MTOK', value: (m) => formatPrice(m.inputPricePerMTok), align: 'right' },
	{ header: 'OUT $/MTOK', value: (m) => formatPrice(m.outputPricePerMTok), align: 'right' },
	{ header: 'ENABLED', value: (m) => yesNo(m.enabled) }
];

const usageColumns = (groupBy: string): Column<UsageRow>[] => [
	{ header: groupBy.toUpperCase(), value: (r) => r.key ?? '' },
	{ header: 'REQUESTS', value: (r) => formatCount(r.requests), align: 'right' },
	{ header: 'INPUT', value: (r) => formatCount(r.inputTokens), align: 'right' },
	{ header: 'OUTPUT', value: (r) => formatCount(r.outputTokens), align: 'right' },
	{ header: 'COST', value: (r) => formatCost(r.costUsd), align: 'right' },
	{ header: 'ERRORS', value: (r) => formatCount(r.errors), align: 'right' }
];

function printTable<T>(context: CommandContext, rows: T[], columns: Column<T>[], empty: string): void {
	const { stdout } = context.io;
	stdout.write(rows.length ? shownOn(stdout, `${formatTable(rows, columns)}\n`) : `${empty}\n`);
}

export async function providers(command: Extract<Command, { name: 'providers' }>, context: CommandContext) {
	const { client } = await context.connect();
	const rows = await typedErrors(() => client.providers.list.query());
	if (command.json) return writeJson(context.io.stdout, rows);
	printTable(context, rows, providerColumns, 'No providers.');
}

export async function models(command: Extract<Command, { name: 'models' }>, context: CommandContext) {
	const { client } = await context.connect();
	const rows = await typedErrors(() =>
		client.models.list.query({ providerId: command.provider, includeDisabled: command.all || undefined })
	);
	if (command.json) return writeJson(context.io.stdout, rows);
	printTable(context, rows, modelColumns, 'No models.');
}

export async function usage(command: Extract<Command, { name: 'usage' }>, context: CommandContext) {
	const { client } = await context.connect();
	const rows = await typedErrors(() =>
		client.usage.summary.query({
			groupBy: command.groupBy,
			from: command.from,
			to: command.to,
			providerId: command.provider
		})
	);
	if (command.json) return writeJson(context.io.stdout, rows);
	printTable(context, rows, usageColumns(command.groupBy), 'No usage in this period.');
}
