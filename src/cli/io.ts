import type { SwitchboardClient, SwitchboardClientOptions } from '../lib/sdk/index';
import type { Env } from './config';

export type Output = { write(chunk: string): unknown; isTTY?: boolean };
export type Input = AsyncIterable<string | Uint8Array> & { isTTY?: boolean };

/** Everything a command touches outside itself, so tests can run commands in-process. */
export type Io = {
	stdout: Output;
	stderr: Output;
	stdin: Input;
	env: Env;
	createClient(options: SwitchboardClientOptions): SwitchboardClient;
	/** Runs `handler` on the first Ctrl+C (a second one exits at once); returns a remover. */
	onInterrupt(handler: () => void): () => void;
	/** Asks a question on the terminal (`secret`: without echo). */
	prompt(question: string, options?: { secret?: boolean }): Promise<string>;
};

/** The rest of stdin as text (for a piped prompt or token). */
export async function readAll(input: Input): Promise<string> {
	const decoder = new TextDecoder();
	let text = '';
	for await (const chunk of input)
		text += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
	return text + decoder.decode();
}

export function writeJson(output: Output, value: unknown): void {
	output.write(`${JSON.stringify(value, null, 2)}\n`);
}
