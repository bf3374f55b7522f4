import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { z } from 'zod';
import {
	maxTokensSchema,
	modelIdSchema,
	providerIdSchema,
	temperatureSchema,
	uuidSchema
} from '../lib/schemas/common';
import { usageGroupBy } from '../lib/schemas/usage';
import { UsageError } from './exit-codes';

export type UsageGroupBy = (typeof usageGroupBy)[number];

export const commandNames = ['login', 'providers', 'models', 'chat', 'usage'] as const;
export type CommandName = (typeof commandNames)[number];

export type Command =
	| { name: 'help'; topic?: CommandName }
	| { name: 'version' }
	| { name: 'login'; url?: string; token?: string; json: boolean }
	| { name: 'providers'; json: boolean }
	| { name: 'models'; provider?: string; all: boolean; json: boolean }
	| {
			name: 'chat';
			/** Absent when the prompt is to be read from stdin. */
			prompt?: string;
			provider?: string;
			model?: string;
			temperature?: number;
			maxTokens?: number;
			chatId?: string;
			system?: string;
			/** Paths of images and text files sent with the prompt (--file, repeatable). */
			files: string[];
			json: boolean;
	  }
	| {
			name: 'usage';
			groupBy: UsageGroupBy;
			from?: Date;
			to?: Date;
			provider?: string;
			json: boolean;
	  };

type Options = NonNullable<ParseArgsConfig['options']>;

const common = { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } satisfies Options;

/** Each command's flags; parseArgs in strict mode refuses any other. */
const specs = {
	login: { ...common, url: { type: 'string' }, token: { type: 'string' } },
	providers: { ...common },
	models: { ...common, provider: { type: 'string' }, all: { type: 'boolean' } },
	chat: {
		...common,
		provider: { type: 'string' },
		model: { type: 'string' },
		temperature: { type: 'string' },
		'max-tokens': { type: 'string' },
		chat: { type: 'string' },
		system: { type: 'string' },
		file: { type: 'string', multiple: true }
	},
	usage: {
		...common,
		'group-by': { type: 'string' },
		from: { type: 'string' },
		to: { type: 'string' },
		provider: { type: 'string' }
	}
} satisfies Record<CommandName, Options>;

function isCommandName(value: string): value is CommandName {
	return (commandNames as readonly string[]).includes(value);
}

/** Runs a flag's value through the API's own schema, so the CLI refuses exactly what the server would. */
function checked<T>(flag: string, schema: z.ZodType<T>, value: unknown): T {
	const result = schema.safeParse(value);
	if (!result.success)
		throw new UsageError(`--${flag}: ${result.error.issues[0]?.message ?? 'invalid value'}`);
	return result.data;
}

function numberFlag(flag: string, raw: string | undefined): number | undefined {
	if (raw === undefined) return undefined;
	const value = Number(raw);
	if (raw.trim() === '' || !Number.isFinite(value))
		throw new UsageError(`--${flag}: "${raw}" is not a number`);
	return value;
}

function optional<T>(flag: string, schema: z.ZodType<T>, raw: unknown): T | undefined {
	return raw === undefined ? undefined : checked(flag, schema, raw);
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * ISO dates (`2026-01-31`, UTC days) or date-times (`2026-01-31T12:00:00Z`). The server's `to` is
 * exclusive, so a bare date given as the end (`--to 2026-01-31`) is moved to the end of that day:
 * people mean "through the 31st".
 */
export function parseDateFlag(flag: string, raw: string | undefined, endOfDay = false): Date | undefined {
	if (raw === undefined) return undefined;
	const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(raw);
	const date = dateOnly || /^\d{4}-\d{2}-\d{2}T/.test(raw) ? new Date(raw) : new Date(Number.NaN);
	if (Number.isNaN(date.getTime())) throw new UsageError(`--${flag}: "${raw}" is not a date like 2026-01-31`);
	return dateOnly && endOfDay ? new Date(date.getTime() + DAY_MS) : date;
}

function parse<T extends Options>(options: T, args: string[]) {
	try {
		return parseArgs({ args, options, strict: true, allowPositionals: true });
	} catch (error) {
		// parseArgs' messages are already one clear line ("Unknown option '--foo'…").
		throw new UsageError(error instanceof Error ? error.message : String(error));
	}
}

function noPositionals(command: CommandName, positionals: string[]): void {
	if (positionals.length) throw new UsageError(`${command}: unexpected argument "${positionals[0]}"`);
}

/** Turns argv (without node and the script) into a command. Pure: throws UsageError on mistakes. */
export function parseCommand(argv: string[]): Command {
	const [first, ...rest] = argv;
	if (first === undefined || first === '--help' || first === '-h') return { name: 'help' };
	if (first === '--version' || first === '-v') return { name: 'version' };
	if (first === 'help') {
		const topic = rest[0];
		if (topic !== undefined && !isCommandName(topic)) throw new UsageError(`Unknown command "${topic}"`);
		return { name: 'help', topic };
	}
	if (!isCommandName(first)) {
		throw new UsageError(`Unknown command "${first}". Commands: ${commandNames.join(', ')}`);
	}
	return parseCommandArgs(first, rest);
}

function parseCommandArgs(name: CommandName, args: string[]): Command {
	switch (name) {
		case 'login': {
			const { values, positionals } = parse(specs.login, args);
			if (values.help) return { name: 'help', topic: name };
			noPositionals(name, positionals);
			return { name, url: values.url, token: values.token, json: !!values.json };
		}
		case 'providers': {
			const { values, positionals } = parse(specs.providers, args);
			if (values.help) return { name: 'help', topic: name };
			noPositionals(name, positionals);
			return { name, json: !!values.json };
		}
		case 'models': {
			const { values, positionals } = parse(specs.models, args);
			if (values.help) return { name: 'help', topic: name };
			noPositionals(name, positionals);
			const provider = optional('provider', providerIdSchema, values.provider);
			return { name, provider, all: !!values.all, json: !!values.json };
		}
		case 'chat':
			return parseChat(args);
		case 'usage':
			return parseUsage(args);
	}
}

function parseChat(args: string[]): Command {
	const { values, positionals } = parse(specs.chat, args);
	if (values.help) return { name: 'help', topic: 'chat' };
	const prompt = positionals.length ? positionals.join(' ') : undefined;
	if (prompt !== undefined && !prompt.trim()) throw new UsageError('chat: the prompt is empty');
	return {
		name: 'chat',
		prompt,
		provider: optional('provider', providerIdSchema, values.provider),
		model: optional('model', modelIdSchema, values.model),
		temperature: optional('temperature', temperatureSchema, numberFlag('temperature', values.temperature)),
		maxTokens: optional('max-tokens', maxTokensSchema, numberFlag('max-tokens', values['max-tokens'])),
		chatId: optional('chat', uuidSchema, values.chat),
		system: values.system,
		files: values.file ?? [],
		json: !!values.json
	};
}

function parseUsage(args: string[]): Command {
	const { values, positionals } = parse(specs.usage, args);
	if (values.help) return { name: 'help', topic: 'usage' };
	noPositionals('usage', positionals);
	const groupBy = values['group-by'] ?? 'provider';
	if (!(usageGroupBy as readonly string[]).includes(groupBy)) {
		throw new UsageError(`--group-by: use one of ${usageGroupBy.join(', ')}`);
	}
	const from = parseDateFlag('from', values.from);
	const to = parseDateFlag('to', values.to, true);
	if (from && to && from >= to) throw new UsageError('--from must be before --to');
	return {
		name: 'usage',
		groupBy: groupBy as UsageGroupBy,
		from,
		to,
		provider: optional('provider', providerIdSchema, values.provider),
		json: !!values.json
	};
}
