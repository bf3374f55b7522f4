import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuardedFetch } from '$lib/server/providers/guarded-fetch';
import { heldUntil } from '$lib/server/providers/send-gate';

let server: http.Server;
let origin: string;
const arrived: string[] = [];
beforeAll(async () => {
	server = http.createServer((req, res) => {
		arrived.push(req.url ?? '');
		if (req.url === '/same') return void res.writeHead(302, { location: '/target' }).end();
		if (req.url === '/other')
			return void res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data' }).end();
		if (req.url === '/closing') return void res.writeHead(200, { connection: 'close' }).end('closing');
		if (req.url === '/loop') return void res.writeHead(307, { location: '/loop' }).end();
		res.writeHead(200, { 'content-type': 'text/plain' }).end(`at ${req.url}`);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('createGuardedFetch', () => {
	const open = createGuardedFetch({ policy: { allowPrivateNetwork: true } });

	it('follows redirects within the same origin', async () => {
		expect(await (await open(`${origin}/same`)).text()).toBe('at /target');
	});

	it('refuses a redirect to another host, and redirect loops', async () => {
		await expect(open(`${origin}/other`)).rejects.toMatchObject({
			name: 'OutboundRefusedError',
			message: expect.stringContaining('another host')
		});
		await expect(open(`${origin}/loop`)).rejects.toMatchObject({ name: 'OutboundRefusedError' });
	});

	it('refuses loopback without the private-network permission, and metadata always', async () => {
		const closed = createGuardedFetch({ policy: { allowPrivateNetwork: false } });
		await expect(closed(`${origin}/x`)).rejects.toMatchObject({
			message: expect.stringContaining('private or loopback')
		});
		await expect(open('http://[::ffff:169.254.169.254]/')).rejects.toMatchObject({
			message: expect.stringContaining('metadata')
		});
	});

	it('checks what a hostname resolves to, and refuses if any answer is refused', async () => {
		const url = `http://provider.test:${new URL(origin).port}/x`;
		const resolvingTo = (addresses: string[], allowPrivateNetwork: boolean) =>
			createGuardedFetch({
				policy: { allowPrivateNetwork },
				resolve: async () => addresses.map((address) => ({ address, family: 4 }))
			});
		await expect(resolvingTo(['127.0.0.1'], false)(url)).rejects.toMatchObject({
			name: 'OutboundRefusedError',
			message: expect.stringContaining('private or loopback')
		});
		for (const addresses of [['169.254.169.254'], ['127.0.0.1', '169.254.169.254']]) {
			await expect(resolvingTo(addresses, true)(url)).rejects.toMatchObject({
				name: 'OutboundRefusedError',
				message: expect.stringContaining('metadata')
			});
		}
	});

	it('connects to the address it checked, even when the name flips to a refused one afterwards', async () => {
		const port = new URL(origin).port;
		const resolved: string[] = [];
		// A rebinding resolver: the first answer passes the policy, every later one is the metadata service.
		const guarded = createGuardedFetch({
			policy: { allowPrivateNetwork: true },
			resolve: async (hostname) => {
				resolved.push(hostname);
				const address = resolved.length === 1 ? '127.0.0.1' : '169.254.169.254';
				return [{ address, family: 4 }];
			}
		});
		// provider.test exists only in this resolver, so the answer proves the connection used it.
		const response = await guarded(`http://provider.test:${port}/checked`);
		expect(await response.text()).toBe('at /checked');
		expect(resolved).toEqual(['provider.test']);
	});

	it('resolves a hostname once for the connections it opens within the TTL', async () => {
		const resolved: string[] = [];
		const guarded = createGuardedFetch({
			policy: { allowPrivateNetwork: true },
			resolve: async (hostname) => {
				resolved.push(hostname);
				return [{ address: '127.0.0.1', family: 4 }];
			}
		});
		// Each answer closes its connection, so every request opens (and looks up) a new one.
		for (let i = 0; i < 3; i++) {
			expect(await (await guarded(`http://provider.test:${new URL(origin).port}/closing`)).text()).toBe(
				'closing'
			);
		}
		expect(resolved).toEqual(['provider.test']);
	});

	it('refuses new requests once closed', async () => {
		const guarded = createGuardedFetch({ policy: { allowPrivateNetwork: true } });
		expect(await (await guarded(`${origin}/x`)).text()).toBe('at /x');
		await guarded.close();
		await expect(guarded(`${origin}/x`)).rejects.toThrow();
	});

	it('sends a request held by a gate only once the gate resolves, and never if it rejects', async () => {
		let release = () => {};
		const saved = new Promise<void>((resolve) => (release = resolve));
		const response = open(`${origin}/held`, heldUntil(saved));
		await new Promise((resolve) => setTimeout(resolve, 50));
		expect(arrived).not.toContain('/held');
		release();
		expect(await (await response).text()).toBe('at /held');

		const refused = Promise.reject(new Error('the turn could not be saved'));
		await expect(open(`${origin}/never`, heldUntil(refused))).rejects.toThrow('the turn could not be saved');
		// Other requests are not held by it.
		expect(await (await open(`${origin}/after`)).text()).toBe('at /after');
		expect(arrived).not.toContain('/never');
	});
});
