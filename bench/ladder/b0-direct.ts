import { openaiClient, openaiTurn } from './openai-turn';
import type { LadderStep } from './types';

/** B0: the provider SDK straight at the emulator. The floor every other step is priced against. */
export function directStep(emulatorUrl: string, timeoutMs: number): LadderStep {
	const client = openaiClient(emulatorUrl);
	return {
		id: 'B0',
		label: 'B0 direct SDK',
		relay: null,
		prepare: async (count, model) =>
			Array.from({ length: count }, () => openaiTurn(client, model, timeoutMs)),
		close: async () => {}
	};
}
