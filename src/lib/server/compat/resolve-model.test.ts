import { describe, expect, it } from 'vitest';
import { CompatError } from './compat-error';
import { resolveModelName } from './resolve-model';

const available = [
	{ providerId: 'anthropic', modelId: 'claude-sonnet-5-5' },
	{ providerId: 'openai', modelId: 'gpt-4.1-mini' },
	{ providerId: 'ollama', modelId: 'llama3.2:1b' },
	{ providerId: 'ollama', modelId: 'meta-llama/llama-3' },
	{ providerId: 'lab', modelId: 'gpt-4.1-mini' }
];

function failure(name: string): CompatError {
	try {
		resolveModelName(name, available);
	} catch (error) {
		if (error instanceof CompatError) return error;
		throw error;
	}
	throw new Error(`${name} resolved`);
}

describe('resolveModelName', () => {
	it('takes provider/model, and a bare id exactly one provider has', () => {
		expect(resolveModelName('anthropic/claude-sonnet-5-5', available)).toEqual(available[0]);
		expect(resolveModelName('claude-sonnet-5-5', available)).toEqual(available[0]);
		expect(resolveModelName('llama3.2:1b', available)).toEqual(available[2]);
	});

	it('keeps slashes inside model ids, splitting only on a known provider', () => {
		expect(resolveModelName('ollama/meta-llama/llama-3', available)).toEqual(available[3]);
		expect(resolveModelName('meta-llama/llama-3', available)).toEqual(available[3]);
	});

	it('refuses a bare id two providers have, naming both', () => {
		const error = failure('gpt-4.1-mini');
		expect(error.kind).toBe('invalid_request');
		expect(error.message).toContain('openai/gpt-4.1-mini');
		expect(error.message).toContain('lab/gpt-4.1-mini');
	});

	it('answers an unknown model with not_found and close matches', () => {
		const error = failure('claude-sonet-5-5');
		expect(error).toMatchObject({ kind: 'not_found', param: 'model' });
		expect(error.message).toContain('"claude-sonnet-5-5"');
		expect(failure('anthropic/gpt-4.1-mini').kind).toBe('not_found');
	});
});
