import {execFileSync} from 'node:child_process';
import {statSync} from 'node:fs';
import {request as httpRequest} from 'node:http';
import {connect as tcpConnect} from 'node:net';
import {networkInterfaces} from 'node:os';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {DaemonState} from '../src/contract/state-file.js';
import {World} from './support/daemon.js';
import {initializeRequest, mcpHeaders, RawSession} from './support/raw-http.js';

const MAX_BODY = 1000;

let world: World;
let state: DaemonState;
let token: string;

/** A request through node:http, which sends any Host and Origin it is given, unlike fetch. */
async function send(options: {
	method?: string;
	path?: string;
	headers?: Record<string, string>;
	body?: string | Buffer;
	chunks?: Buffer[];
}): Promise<{status: number; body: string; headers: Record<string, unknown>}> {
	return new Promise((resolve, reject) => {
		let answered = false;
		const request = httpRequest(
			{
				host: '127.0.0.1',
				port: state.port,
				method: options.method ?? 'POST',
				path: options.path ?? '/mcp',
				headers: options.headers,
			},
			response => {
				answered = true;
				let body = '';
				const done = () => resolve({status: response.statusCode!, body, headers: response.headers});
				response.setEncoding('utf8');
				response.on('data', chunk => (body += chunk));
				response.on('end', done);
				// A connection cut after the answer came still leaves the answer: 'close' follows 'error'.
				response.on('error', () => undefined);
				response.on('close', done);
			},
		);
		// The daemon may answer and close before a too-large body is fully written: writing on
		// then fails (EPIPE, ECONNRESET), and the answer is what counts.
		request.on('error', error => {
			if (!answered) {
				reject(error);
			}
		});
		if (options.chunks) {
			for (const chunk of options.chunks) {
				request.write(chunk);
			}
		}

		request.end(options.body);
	});
}

const initialize = JSON.stringify(initializeRequest);

beforeAll(async () => {
	world = new World();
	({state} = await world.runDaemon('mcp-user', {MCPPROXY_MAX_BODY: String(MAX_BODY)}));
	token = world.token();
});

afterAll(async () => world.dispose());

describe('authorization', () => {
	it('refuses a request without a token with 401 and says where the token is', async () => {
		const response = await send({
			headers: {'content-type': 'application/json', accept: 'application/json, text/event-stream'},
			body: initialize,
		});
		expect(response.status).toBe(401);
		expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
		expect(response.body).toContain('daemon status --json');
	});

	it('refuses a wrong token with 401', async () => {
		const response = await send({headers: mcpHeaders('x'.repeat(token.length)), body: initialize});
		expect(response.status).toBe(401);
	});

	it('refuses a token sent without the Bearer scheme with 401', async () => {
		const response = await send({headers: {...mcpHeaders(token), authorization: token}, body: initialize});
		expect(response.status).toBe(401);
	});

	it('guards /status like /mcp', async () => {
		expect((await send({method: 'GET', path: '/status'})).status).toBe(401);
		expect((await send({method: 'GET', path: '/status', headers: {authorization: `Bearer ${token}`}})).status).toBe(200);
	});

	it('keeps the token in a file only its owner can read', () => {
		expect(statSync(state.tokenFile).mode & 0o077).toBe(0);
	});
});

describe('DNS rebinding', () => {
	it('refuses a foreign Host with 403, even with the right token', async () => {
		const response = await send({headers: {...mcpHeaders(token), host: 'evil.example'}, body: initialize});
		expect(response.status).toBe(403);
		expect(response.body).toContain('evil.example');
	});

	it('refuses a Host that only starts like a loopback name with 403', async () => {
		for (const host of [`127.0.0.1.evil.example:${state.port}`, `localhost.evil.example:${state.port}`]) {
			expect((await send({headers: {...mcpHeaders(token), host}, body: initialize})).status, host).toBe(403);
		}
	});

	it('refuses a foreign Origin with 403, even with the right token', async () => {
		const response = await send({headers: {...mcpHeaders(token), origin: 'https://evil.example'}, body: initialize});
		expect(response.status).toBe(403);
		expect(response.body).toContain('https://evil.example');
	});

	it('refuses an Origin that is no URL with 403', async () => {
		expect((await send({headers: {...mcpHeaders(token), origin: 'null'}, body: initialize})).status).toBe(403);
	});

	it('accepts loopback Hosts and Origins', async () => {
		for (const [host, origin] of [
			[`localhost:${state.port}`, 'http://localhost:3000'],
			[`127.0.0.1:${state.port}`, `http://127.0.0.1:${state.port}`],
			[`[::1]:${state.port}`, 'http://[::1]:8080'],
		] as const) {
			const response = await send({headers: {...mcpHeaders(token), host, origin}, body: initialize});
			expect(response.status, `${host} ${origin}`).toBe(200);
			expect(response.headers['mcp-session-id']).toBeTruthy();
		}
	});
});

describe('malformed requests', () => {
	it(`refuses a body over MCPPROXY_MAX_BODY (${MAX_BODY} bytes) with 413`, async () => {
		const big = JSON.stringify({
			...initializeRequest,
			params: {...initializeRequest.params, padding: 'x'.repeat(5000)},
		});
		const response = await send({headers: mcpHeaders(token), body: big});
		expect(response.status).toBe(413);
		expect(response.body).toContain('MCPPROXY_MAX_BODY');
	});

	it('refuses an oversized body sent in chunks without a Content-Length with 413', async () => {
		const chunks = Array.from({length: 5}, () => Buffer.from(' '.repeat(1000)));
		const response = await send({headers: {...mcpHeaders(token), 'transfer-encoding': 'chunked'}, chunks});
		expect(response.status).toBe(413);
	});

	it('answers a body that is not JSON with 400 and a JSON-RPC parse error', async () => {
		const response = await send({headers: mcpHeaders(token), body: '{"jsonrpc": "2.0", "id": 1,'});
		expect(response.status).toBe(400);
		expect(JSON.parse(response.body)).toMatchObject({jsonrpc: '2.0', id: null, error: {code: -32_700}});
	});

	it('answers JSON that is no JSON-RPC message with 400', async () => {
		const response = await send({headers: mcpHeaders(token), body: '{"hello": "world"}'});
		expect(response.status).toBe(400);
		expect(JSON.parse(response.body)).toMatchObject({error: {code: -32_600}});
	});

	it('answers a request other than initialize without a session id with 400', async () => {
		const response = await send({
			headers: mcpHeaders(token),
			body: JSON.stringify({jsonrpc: '2.0', id: 1, method: 'tools/list'}),
		});
		expect(response.status).toBe(400);
		expect(response.body).toContain('Mcp-Session-Id');
	});

	it('answers an unknown session id with 404, so the client starts a new session', async () => {
		const body = JSON.stringify({jsonrpc: '2.0', id: 1, method: 'tools/list'});
		const response = await send({headers: mcpHeaders(token, {'mcp-session-id': 'no-such-session'}), body});
		expect(response.status).toBe(404);
		expect(JSON.parse(response.body)).toMatchObject({error: {message: 'Session not found'}});
	});

	it('answers a path other than /mcp with 404 and a method other than POST, GET or DELETE with 405', async () => {
		expect((await send({path: '/other', headers: mcpHeaders(token), body: initialize})).status).toBe(404);
		const response = await send({method: 'PUT', headers: mcpHeaders(token), body: initialize});
		expect(response.status).toBe(405);
		expect(response.headers.allow).toBe('POST, GET, DELETE');
	});
});

describe('streams', () => {
	it('refuses a second GET stream of one session with 409', async () => {
		const session = await RawSession.open(state, token);
		const controller = new AbortController();
		const first = await session.get(controller.signal);
		expect(first.status).toBe(200);
		const second = await session.get();
		expect(second.status).toBe(409);
		controller.abort();
		await session.delete();
	});

	it('refuses a GET stream without Accept: text/event-stream with 406', async () => {
		const session = await RawSession.open(state, token);
		const response = await send({
			method: 'GET',
			headers: {authorization: `Bearer ${token}`, 'mcp-session-id': session.id, accept: 'application/json'},
		});
		expect(response.status).toBe(406);
		await session.delete();
	});
});

describe('the listening socket', () => {
	it('announces a loopback URL', () => {
		expect(new URL(state.url).hostname).toBe('127.0.0.1');
	});

	it('listens on 127.0.0.1 only', () => {
		const lines = execFileSync('ss', ['-Hltn'], {encoding: 'utf8'})
			.split('\n')
			.map(line => line.trim().split(/\s+/)[3])
			.filter((address): address is string => address?.endsWith(`:${state.port}`) === true);
		expect(lines).toEqual([`127.0.0.1:${state.port}`]);
	});

	const external = Object.values(networkInterfaces())
		.flat()
		.find(address => address && !address.internal && address.family === 'IPv4');
	it.runIf(external)(`refuses connections to this machine's own non-loopback address (${external?.address})`, async () => {
		const outcome = await new Promise<string>(resolve => {
			const socket = tcpConnect({host: external!.address, port: state.port});
			socket.once('connect', () => {
				socket.destroy();
				resolve('connected');
			});
			socket.once('error', error => resolve((error as NodeJS.ErrnoException).code ?? 'error'));
		});
		expect(outcome).toBe('ECONNREFUSED');
	});
});
