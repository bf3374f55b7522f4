import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

/* scripts/healthcheck.mjs (the image's HEALTHCHECK, and deploy.sh's wait) against a real HTTP server. */
const script = fileURLToPath(new URL('../../../scripts/healthcheck.mjs', import.meta.url));

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A server whose /healthz answers `status`; resolves with its port. */
function serveHealthz(status: number): Promise<number> {
	server = createServer((req, res) => {
		res.statusCode = req.url === '/healthz' ? status : 404;
		res.end(JSON.stringify({ ok: status === 200 }));
	});
	return new Promise((resolve) =>
		server!.listen(0, '127.0.0.1', () => resolve((server!.address() as AddressInfo).port))
	);
}

/** Runs the script asynchronously: the server answering it lives in this process. */
function healthcheck(port: number): Promise<{ code: number; stderr: string }> {
	return new Promise((resolve) => {
		execFile(process.execPath, [script], { env: { PORT: String(port) } }, (error, _stdout, stderr) => {
			resolve({ code: error ? Number(error.code) : 0, stderr });
		});
	});
}

describe('scripts/healthcheck.mjs', () => {
	it('exits 0 when /healthz answers 200 on PORT', async () => {
		expect(await healthcheck(await serveHealthz(200))).toEqual({ code: 0, stderr: '' });
	});

	it('exits 1 and prints the status when /healthz answers 503', async () => {
		const port = await serveHealthz(503);
		const result = await healthcheck(port);
		expect(result.code).toBe(1);
		expect(result.stderr).toContain(`http://127.0.0.1:${port}/healthz answered 503`);
	});

	it('exits 1 and says why when nothing listens', async () => {
		const port = await serveHealthz(200);
		await new Promise<void>((resolve) => server!.close(() => resolve()));
		server = undefined;
		const result = await healthcheck(port);
		expect(result.code).toBe(1);
		expect(result.stderr).toContain('did not answer: connect ECONNREFUSED');
	});
});
