/**
 * Which sampling parameters a model takes, from its stored capabilities (never from its id). Shared by
 * the server, which drops what a model refuses, and the UI, which shows only what it takes.
 */
export type SamplingCapabilities = { temperature: boolean; topP?: boolean; stop?: boolean; seed?: boolean };

export type SamplingSupport = { temperature: boolean; topP: boolean; stop: boolean; seed: boolean };

export function samplingSupport(capabilities: SamplingCapabilities): SamplingSupport {
	return {
		temperature: capabilities.temperature,
		// The models that refuse a temperature refuse top_p too, unless the data says otherwise.
		topP: capabilities.topP ?? capabilities.temperature,
		stop: capabilities.stop ?? true,
		seed: capabilities.seed ?? false
	};
}
