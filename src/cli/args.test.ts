import { describe, expect, it } from 'vitest';
import { parseCommand, parseDateFlag } from './args';
import { UsageError } from './exit-codes';

describe('parseCommand', () => {
	it('shows help without a command, and for a command', () => {
		expect(parseCommand([])).toEqual({ name: 'help' });
		expect(parseCommand(['--help'])).toEqual({ name: 'help' });
		expect(parseCommand(['help', 'chat'])).toEqual({ name: 'help', topic: 'chat' });
		expect(parseCommand(['chat', '--help'])).toEqual({ name: 'help', topic: 'chat' });
		expect(parseCommand(['--version'])).toEqual({ name: 'version' });
	});

	it('parses chat with every flag', () => {
		const command = parseCommand([
			'chat',
			'hello',
			'there',
			'--provider',
			'openai',
			'--model',
			'gpt-4o-mini',
			'--temperature',
			'0.5',
			'--max-tokens',
			'100',
			'--chat',
			'0b6f3e0e-7a4e-4c8e-9d43-3f1f4a0f5e11',
			'--system',
			'Be brief',
			'--file',
			'a.png',
			'--file',
			'notes.md',
			'--json'
		]);
		expect(command).toEqual({
			name: 'chat',
			prompt: 'hello there',
			provider: 'openai',
			model: 'gpt-4o-mini',
			temperature: 0.5,
			maxTokens: 100,
			chatId: '0b6f3e0e-7a4e-4c8e-9d43-3f1f4a0f5e11',
			system: 'Be brief',
			files: ['a.png', 'notes.md'],
			json: true
		});
	});

	it('leaves the prompt out when none is given (stdin)', () => {
		expect(parseCommand(['chat'])).toMatchObject({ name: 'chat', prompt: undefined, json: false });
	});

	it.each([
		[['chat', 'hi', '--temperature', '3'], /--temperature: At most 2/],
		[['chat', 'hi', '--temperature', 'warm'], /not a number/],
		[['chat', 'hi', '--max-tokens', '1.5'], /--max-tokens/],
		[['chat', 'hi', '--chat', 'nope'], /--chat: Not a valid id/],
		[['chat', 'hi', '--provider', 'Open AI'], /--provider/],
		[['chat', 'hi', '--bogus'], /Unknown option '--bogus'/],
		[['chat', '  '], /empty/],
		[['launch'], /Unknown command "launch"/],
		[['providers', 'extra'], /unexpected argument/],
		[['usage', '--group-by', 'week'], /--group-by: use one of provider, model, day, user/],
		[['usage', '--from', 'yesterday'], /not a date/],
		[['usage', '--from', '2026-02-01', '--to', '2026-01-01'], /before --to/],
		[['models', '--provider'], /argument missing/]
	])('refuses %j', (argv, message) => {
		expect(() => parseCommand(argv)).toThrow(UsageError);
		expect(() => parseCommand(argv)).toThrow(message);
	});

	it('parses models and providers', () => {
		expect(parseCommand(['models', '--provider', 'ollama', '--all'])).toEqual({
			name: 'models',
			provider: 'ollama',
			all: true,
			json: false
		});
		expect(parseCommand(['providers', '--json'])).toEqual({ name: 'providers', json: true });
	});

	it('parses usage with a default grouping and an inclusive end day', () => {
		expect(parseCommand(['usage'])).toEqual({
			name: 'usage',
			groupBy: 'provider',
			from: undefined,
			to: undefined,
			provider: undefined,
			json: false
		});
		const command = parseCommand([
			'usage',
			'--group-by',
			'day',
			'--from',
			'2026-01-01',
			'--to',
			'2026-01-31'
		]);
		expect(command).toMatchObject({
			groupBy: 'day',
			from: new Date('2026-01-01T00:00:00Z'),
			to: new Date('2026-02-01T00:00:00Z')
		});
	});

	it('parses login', () => {
		expect(parseCommand(['login', '--url', 'http://x', '--token', 'sb_1'])).toEqual({
			name: 'login',
			url: 'http://x',
			token: 'sb_1',
			json: false
		});
	});
});

describe('parseDateFlag', () => {
	it('keeps date-times as given', () => {
		expect(parseDateFlag('to', '2026-01-31T12:00:00Z', true)).toEqual(new Date('2026-01-31T12:00:00Z'));
		expect(parseDateFlag('from', undefined)).toBeUndefined();
	});
});
