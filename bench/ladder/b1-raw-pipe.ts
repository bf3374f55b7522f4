import { fileURLToPath } from 'node:url';
import { spawnChild, type Child } from '../lib/processes';
import { openaiClient, openaiTurn } from './openai-turn';
import type { LadderStep } from './types';

const script = fileURLToPath(new URL('./raw-proxy-process.ts', import.meta.url));

/** B1: the same SDK through a plain node:http pass-through proxy (its own process). */
export async function rawPipeStep(
	emulatorOrigin: string,
	timeoutMs: number
): Promise<LadderStep & { child: Child }> {
	const child = spawnChild('raw proxy', script, {
		execArgv: ['--expose-gc', '--import', 'tsx'],
		env: { ...process.env, UPSTREAM: emulatorOrigin }
	});
	const ready = (await child.ready) as { url: string; port: number };
	const client = openaiClient(`${ready.url}/v1`);
	return {
		id: 'B1',
		label: 'B1 raw pipe',
		child,
		relay: { name: 'proxy', pid: child.pid, port: ready.port, probe: child.probe },
		diagnostics: () => child.output(),
		prepare: async (count, model) =>
			Array.from({ length: count }, () => openaiTurn(client, model, timeoutMs)),
		close: () => child.stop()
	};
}
