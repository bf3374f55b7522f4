import { timingSafeEqual } from 'node:crypto';

export type MetricsAccess = 'allowed' | 'unauthorized' | 'not_found';

const loopback = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/;

function sameSecret(given: string, expected: string): boolean {
	const a = Buffer.from(given);
	const b = Buffer.from(expected);
	return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Who may read /metrics. With METRICS_TOKEN set, only a bearer of that token (from anywhere,
 * loopback included, so a misrouted proxy cannot open it). Without it, only this machine, and not
 * through a reverse proxy on it (which would make every visitor look local); others get 404 so the
 * endpoint is not even advertised.
 */
export function metricsAccess(input: {
	token: string | undefined;
	authorization: string | null;
	clientAddress: string;
	/** Whether a proxy forwarded the request (it then came from anyone, whatever the socket says). */
	proxied: boolean;
}): MetricsAccess {
	if (input.token) {
		const match = /^Bearer\s+(.+)$/i.exec(input.authorization ?? '');
		return match && sameSecret(match[1].trim(), input.token) ? 'allowed' : 'unauthorized';
	}
	return loopback.test(input.clientAddress) && !input.proxied ? 'allowed' : 'not_found';
}

/** Headers a reverse proxy adds: a request carrying one came through a proxy, maybe from anywhere. */
export function isProxied(headers: Headers): boolean {
	return ['forwarded', 'x-forwarded-for', 'x-real-ip'].some((name) => headers.has(name));
}
