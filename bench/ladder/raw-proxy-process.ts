/**
 * B1, the raw pipe: a plain node:http pass-through proxy in front of the emulator, the physical
 * limit for a relay (no parsing, no auth, no database). Headers and bodies are piped as they come.
 * Run in its own process by bench/run.ts: UPSTREAM=<emulator origin>.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const upstream = new URL(process.env.UPSTREAM ?? 'http://127.0.0.1:4010');
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

const server = http.createServer((req, res) => {
	const outbound = http.request(
		{
			host: upstream.hostname,
			port: upstream.port,
			method: req.method,
			path: req.url,
			headers: { ...req.headers, host: upstream.host },
			agent
		},
		(answer) => {
			res.writeHead(answer.statusCode ?? 502, answer.headers);
			answer.pipe(res);
		}
	);
	outbound.on('error', (error: NodeJS.ErrnoException) => {
		// Shown by the bench when a stream fails through this step.
		console.error(`proxy upstream error: ${error.code ?? error.message}`);
		if (!res.headersSent) res.writeHead(502);
		res.end();
	});
	// A client that leaves stops the upstream stream too.
	res.on('close', () => {
		if (!res.writableFinished) outbound.destroy();
	});
	req.pipe(outbound);
});
server.keepAliveTimeout = 30_000;

server.listen(0, '127.0.0.1', () => {
	const { port } = server.address() as AddressInfo;
	process.send?.({ ready: true, url: `http://127.0.0.1:${port}`, port });
});
process.once('SIGTERM', () => {
	server.closeAllConnections();
	server.close(() => process.exit(0));
});
