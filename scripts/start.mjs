// `npm start`: builds when the build is missing or older than the sources, then serves it.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import cluster from 'node:cluster';
import path from 'node:path';
import { installIdleAsyncStorage } from './idle-async-storage.mjs';
import { superviseWorkers, workerCount } from './workers.mjs';

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

const workers = workerCount(process.env);
if (workers.error) {
	console.error(workers.error);
	process.exit(1);
}

const builtAt = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
// Workers find the build their supervisor made.
if (cluster.isPrimary && builtAt < Math.max(...inputs.map(newestMtime))) {
	console.log('Building Switchboard (the build is missing or older than the sources)…');
	const result = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
	if (result.status !== 0) process.exit(result.status ?? 1);
}

process.env.PORT ??= '3000';
// adapter-node refuses bodies over 512 KB by default; an attachment travels base64 in JSON (an image
// up to ATTACHMENT_MAX_IMAGE_BYTES, at most 16 MB, is about 22 MB encoded), and a chat import takes up
// to 8 MB. Each procedure's own schema still bounds its fields.
process.env.BODY_SIZE_LIMIT ??= '24M';

const securityHeaders = {
	'x-content-type-options': 'nosniff',
	'referrer-policy': 'same-origin',
	'x-frame-options': 'DENY'
};
// Where the app offers its lean route (src/lib/server/http/node-routes.ts) once it has booted.
const nodeRoutesKey = Symbol.for('switchboard.node-routes');

if (workers.count > 1 && cluster.isPrimary) {
	superviseWorkers(workers.count);
} else {
	await serve();
}

/**
 * The HTTP server, around SvelteKit's handler (adapter-node's build/handler.js). Our own rather
 * than adapter-node's build/index.js, for two reasons:
 * - API traffic goes first to the app's lean route, which answers it on Node's request and
 *   response without SvelteKit's page pipeline (/v1, and the SDK's and the CLI's tRPC calls).
 * - Without ORIGIN, adapter-node takes the protocol from a header and assumes https when there is
 *   none, so on plain http every form post would fail its same-origin check and cookies would be
 *   marked Secure. Here the server itself says which protocol the request came in on (overwriting
 *   anything a client sent), and the host comes from the Host header as usual. With ORIGIN set,
 *   adapter-node uses it, as it always does.
 */
async function serve() {
	const { createServer } = await import('node:http');
	const header = 'x-switchboard-protocol';
	const ownProtocol = !process.env.ORIGIN;
	if (ownProtocol) process.env.PROTOCOL_HEADER = header;
	// Importing the handler boots the app (SvelteKit's init hook), which installs the lean route.
	// SvelteKit's request storage then costs the lean route's promises nothing between its requests.
	installIdleAsyncStorage();
	const { handler } = await import(path.resolve('build/handler.js'));
	const server = createServer((req, res) => {
		// The app's own responses get these in hooks.server.ts (same list); static files are served
		// before the hooks run, and the lean route has none, so they get them here.
		for (const [name, value] of Object.entries(securityHeaders)) res.setHeader(name, value);
		if (globalThis[nodeRoutesKey]?.(req, res)) return;
		if (ownProtocol) req.headers[header] = 'http';
		handler(req, res, () => {
			res.statusCode = 404;
			res.end('Not found');
		});
	});
	// adapter-node's own server honours these two (in seconds); so does this one.
	for (const [name, field] of [
		['KEEP_ALIVE_TIMEOUT', 'keepAliveTimeout'],
		['HEADERS_TIMEOUT', 'headersTimeout']
	]) {
		const seconds = Number(process.env[name]);
		if (process.env[name] && Number.isFinite(seconds) && seconds >= 0) server[field] = seconds * 1000;
	}
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
