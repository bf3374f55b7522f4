import { startAnthropicEmulator } from './anthropic-emulator';
import type { Emulator } from './emulator-server';
import { startOllamaEmulator } from './ollama-emulator';
import { startOpenAIEmulator } from './openai-emulator';

export type { Emulator } from './emulator-server';
export type { EmulatedUsage, FixtureName, ModelSpec, RecordedRequest, Scenario } from './script';
export { CACHE_HIT_MARKER } from './script';
export { startAnthropicEmulator, startOllamaEmulator, startOpenAIEmulator };

export type Emulators = {
	openai: Emulator;
	anthropic: Emulator;
	ollama: Emulator;
	close(): Promise<void>;
	reset(): void;
};

/** All three protocols on real sockets; port 0 (the default) picks free ports, for tests. */
export async function startEmulators(
	ports: { openai?: number; anthropic?: number; ollama?: number } = {},
	host = '127.0.0.1'
): Promise<Emulators> {
	const [openai, anthropic, ollama] = await Promise.all([
		startOpenAIEmulator({ port: ports.openai ?? 0, host }),
		startAnthropicEmulator({ port: ports.anthropic ?? 0, host }),
		startOllamaEmulator({ port: ports.ollama ?? 0, host })
	]);
	return {
		openai,
		anthropic,
		ollama,
		reset: () => [openai, anthropic, ollama].forEach((e) => e.reset()),
		close: async () => {
			await Promise.all([openai.close(), anthropic.close(), ollama.close()]);
		}
	};
}
