// `npm start`: builds when the build is missing or older than the sources, then serves it.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

// adapter-node reads PORT and ORIGIN itself, so a .env file must be loaded before it starts.
if (existsSync('.env')) process.loadEnvFile('.env');

const inputs = ['src', 'static', 'drizzle', 'svelte.config.js', 'vite.config.ts', 'package.json'];
const stamp = 'build/index.js';

function newestMtime(entry) {
	if (!existsSync(entry)) return 0;
	const stat = statSync(entry);
	if (!stat.isDirectory()) return stat.mtimeMs;
	let newest = stat.mtimeMs;
	for (const child of readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, child)));
	return newest;
}

const builtAt = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
if (builtAt < Math.max(...inputs.map(newestMtime))) {
	console.log('Building Switchboard (the build is missing or older than the sources)…');
	const result = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
	if (result.status !== 0) process.exit(result.status ?? 1);
}

process.env.PORT ??= '3000';
// adapter-node refuses bodies over 512 KB by default; an attachment travels base64 in JSON (an image
// up to ATTACHMENT_MAX_IMAGE_BYTES, at most 16 MB, is about 22 MB encoded).
process.env.BODY_SIZE_LIMIT ??= '24M';

const securityHeaders = {
	'x-content-type-options': 'nosniff',
	'referrer-policy': 'same-origin',
	'x-frame-options': 'DENY'
};
if (process.env.ORIGIN) {
	await import(path.resolve(stamp));
} else {
	await serveWithoutOrigin();
}

/**
 * Without ORIGIN, adapter-node takes the protocol from a header and assumes https when there is
 * none, so on plain http every form post would fail its same-origin check and cookies would be
 * marked Secure. Here the server itself says which protocol the request came in on (overwriting
 * anything a client sent), and the host comes from the Host header as usual.
 */
async function serveWithoutOrigin() {
	const { createServer } = await import('node:http');
	const header = 'x-switchboard-protocol';
	process.env.PROTOCOL_HEADER = header;
	const { handler } = await import(path.resolve('build/handler.js'));
	const server = createServer((req, res) => {
		req.headers[header] = 'http';
		// The app's own responses get these in hooks.server.ts (same list); static files are served
		// before the hooks run, so they get them here.
		for (const [name, value] of Object.entries(securityHeaders)) res.setHeader(name, value);
		handler(req, res, () => {
			res.statusCode = 404;
			res.end('Not found');
		});
	});
	const host = process.env.HOST ?? '0.0.0.0';
	server.listen(Number(process.env.PORT), host, () => {
		console.log(`Listening on http://${host}:${process.env.PORT}`);
	});
	for (const signal of ['SIGINT', 'SIGTERM']) {
		process.once(signal, () => {
			server.close();
			server.closeIdleConnections();
		});
	}
}
