import { randomUUID } from 'node:crypto';

export const requestIdHeader = 'x-request-id';

// A proxy's id is kept when it is short and plain; anything else could carry text into log lines.
const acceptable = /^[A-Za-z0-9._:-]{8,128}$/;

/** The id a request is known by: the one a proxy or client sent when it is safe, else a new one. */
export function requestIdFor(headers: Pick<Headers, 'get'>): string {
	const sent = headers.get(requestIdHeader);
	return sent && acceptable.test(sent) ? sent : randomUUID();
}
