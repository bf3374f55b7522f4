import { closeMatches } from '../providers/close-matches';
import { CompatError } from './compat-error';

export type ModelRef = { providerId: string; modelId: string };

/** The name a compatible API shows for a model: unambiguous across providers. */
export const publicModelName = (ref: ModelRef): string => `${ref.providerId}/${ref.modelId}`;

/**
 * A client's model name -> provider and model. `provider/model` names one exactly; a bare id works
 * when exactly one provider has it. The provider part is split off only when it names a provider,
 * because model ids may contain slashes themselves (`meta-llama/…`). Pure: `available` is the
 * enabled models of usable providers. An alias (`fast`) names where it points now, unless a model
 * has that very id.
 */
export function resolveModelName(
	name: string,
	available: readonly ModelRef[],
	param = 'model',
	aliases: ReadonlyMap<string, ModelRef> = new Map()
): ModelRef {
	const alias = aliases.get(name);
	if (alias && !available.some((m) => m.modelId === name)) {
		const found = available.find((m) => m.providerId === alias.providerId && m.modelId === alias.modelId);
		if (found) return found;
		throw new CompatError(
			'not_found',
			`The alias "${name}" points at ${publicModelName(alias)}, which is not available now.`,
			{ param }
		);
	}
	const slash = name.indexOf('/');
	if (slash > 0) {
		const providerId = name.slice(0, slash);
		const modelId = name.slice(slash + 1);
		if (available.some((m) => m.providerId === providerId)) {
			const found = available.find((m) => m.providerId === providerId && m.modelId === modelId);
			if (found) return found;
			throw unknownModel(name, available, param);
		}
	}
	const matches = available.filter((m) => m.modelId === name);
	if (matches.length === 1) return matches[0];
	if (matches.length > 1) {
		throw new CompatError(
			'invalid_request',
			`The model "${name}" is offered by several providers: use one of ${matches.map(publicModelName).join(', ')}.`,
			{ param }
		);
	}
	throw unknownModel(name, available, param);
}

function unknownModel(name: string, available: readonly ModelRef[], param: string): CompatError {
	const names = [...available.map(publicModelName), ...available.map((m) => m.modelId)];
	const close = [...new Set(closeMatches(name, names))];
	const hint = close.length ? ` Did you mean ${close.map((c) => `"${c}"`).join(', ')}?` : '';
	return new CompatError(
		'not_found',
		`The model "${name}" does not exist or is not enabled.${hint} GET /v1/models lists the models you can use.`,
		{ param }
	);
}
