import { z } from 'zod';

export const providerErrorCodes = [
	'auth',
	'rate_limited',
	'overloaded',
	'model_not_found',
	'invalid_request',
	'context_length',
	'timeout',
	'unavailable',
	'aborted',
	'unknown'
] as const;

export const providerErrorCodeSchema = z.enum(providerErrorCodes);
export type ProviderErrorCode = z.infer<typeof providerErrorCodeSchema>;
