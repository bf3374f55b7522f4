import { anthropicKind } from './anthropic/anthropic-provider';
import { ollamaKind } from './ollama/ollama-provider';
import { openaiKind } from './openai/openai-provider';
import { openaiCompatibleKind } from './openai-compatible/openai-compatible-provider';
import type { ProviderKindDefinition } from './provider-kind';
import type { ProviderKind } from './types';

/** Every provider kind's definition: a new kind is a folder and an entry here. */
const definitions: readonly ProviderKindDefinition[] = [
	anthropicKind,
	openaiKind,
	ollamaKind,
	openaiCompatibleKind
];

/** By kind; kind-names.test.ts checks that every kind in provider-kinds.ts has its definition. */
export const providerKinds = Object.fromEntries(definitions.map((d) => [d.kind, d])) as Record<
	ProviderKind,
	ProviderKindDefinition
>;

/** The definition of a stored kind; undefined for a kind this build does not know. */
export function kindDefinition(kind: string): ProviderKindDefinition | undefined {
	return Object.hasOwn(providerKinds, kind) ? providerKinds[kind as ProviderKind] : undefined;
}
