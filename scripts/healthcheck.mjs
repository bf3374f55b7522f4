// `node scripts/healthcheck.mjs`: exits 0 when this machine's Switchboard answers /healthz with 2xx, else 1.
// Used by the image's HEALTHCHECK and by scripts/deploy.sh inside the container, where curl is absent.
const port = process.env.PORT || '3000';
const url = `http://127.0.0.1:${port}/healthz`;
// Below the HEALTHCHECK timeout, so a hung server is reported as unhealthy by us rather than killed by Docker.
const timeoutMs = 4_000;

try {
	const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
	if (!response.ok) {
		console.error(`${url} answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
		process.exit(1);
	}
} catch (error) {
	// fetch reports "fetch failed"; the reason (ECONNREFUSED, a timeout) is its cause.
	const reason = error instanceof Error && error.cause instanceof Error ? error.cause : error;
	console.error(`${url} did not answer: ${reason instanceof Error ? reason.message : String(reason)}`);
	process.exit(1);
}
