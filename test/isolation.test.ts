import type {ChildProcess} from 'node:child_process';
import {connect as connectSocket, type Socket} from 'node:net';
import {join} from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import type {Client} from '@modelcontextprotocol/sdk/client/index.js';
import {type CallToolResult, CallToolResultSchema, LoggingMessageNotificationSchema} from '@modelcontextprotocol/sdk/types.js';
import {afterEach, describe, expect, it} from 'vitest';
import type {DaemonState} from '../src/contract/state-file.js';
import {greetingLine} from '../src/contract/greeting.js';
import {LineSplitter} from '../src/shared/line-splitter.js';
import {BRIDGE, eventually, REPO, servers, World} from './support/daemon.js';
import {bridgeClient} from './support/lifecycle.js';
import {Messages} from './support/messages.js';
import {daemonStatus, type ServerStatus} from './support/raw-http.js';
import {serversReady} from './support/ready.js';

// One misbehaving server (test/support/misbehaving-server.mjs) beside a good one, shared by two
// sessions: whatever the bad one does, the daemon keeps its pid and its memory, the other session's
// calls to the good server all succeed, and the misbehaving call's own client gets its answer.

const MISBEHAVING = join(REPO, 'test', 'support', 'misbehaving-server.mjs');
const MIB = 1024 * 1024;
/** The most the daemon's RSS may grow while a server or a client misbehaves. */
const RSS_HEADROOM = 256 * MIB;

function text(result: CallToolResult): string {
	return result.content.map(item => (item.type === 'text' ? item.text : '')).join('\n');
}

type Harness = {world: World; daemon: ChildProcess; state: DaemonState; token: string};

let harness: Harness | undefined;
const clients: Client[] = [];

afterEach(async () => {
	await Promise.all(clients.splice(0).map(async client => client.close().catch(() => undefined)));
	await harness?.world.dispose();
	harness = undefined;
});

async function start(env: NodeJS.ProcessEnv = {}): Promise<Harness> {
	const world = new World(env);
	world.writeConfig({
		mcpServers: {
			bad: {command: process.execPath, args: [MISBEHAVING]},
			good: servers.everything(),
		},
	});
	const {child, state} = await world.runDaemon();
	harness = {world, daemon: child, state, token: world.token()};
	await serversReady(state, harness.token);
	return harness;
}

async function session(name: string): Promise<Client> {
	const client = await bridgeClient(harness!.world, name);
	clients.push(client);
	return client;
}

async function call(client: Client, name: string, args: Record<string, unknown> = {}, timeout = 60_000): Promise<CallToolResult> {
	return client.request({method: 'tools/call', params: {name, arguments: args}}, CallToolResultSchema, {timeout});
}

async function serverStatus(name: string): Promise<ServerStatus> {
	const {servers} = await daemonStatus(harness!.state, harness!.token);
	return servers.find(server => server.name === name)!;
}

async function daemonRss(): Promise<number> {
	return (await daemonStatus(harness!.state, harness!.token)).memory.rss;
}

/**
 * Runs `misbehave` while a second session calls the good server's echo without pause, and checks
 * what sharing must guarantee: every one of those calls succeeded, the daemon is the same process,
 * and its memory stayed within the headroom of what it was before.
 */
async function unharmedWhile<T>(misbehave: () => Promise<T>): Promise<T> {
	const {daemon, state} = harness!;
	const neighbour = await session('neighbour');
	const before = await daemonRss();
	let peak = before;
	let done = false;
	const calls = (async () => {
		let count = 0;
		while (!done || count < 5) {
			const result = await call(neighbour, 'good__echo', {message: `call ${count}`}, 10_000);
			expect(text(result)).toContain(`call ${count}`);
			count++;
		}

		return count;
	})();
	const sampling = (async () => {
		while (!done) {
			peak = Math.max(peak, await daemonRss());
			await sleep(100);
		}
	})();
	try {
		return await misbehave();
	} finally {
		done = true;
		expect(await calls).toBeGreaterThanOrEqual(5);
		await sampling;
		expect(daemon.exitCode).toBeNull();
		expect(harness!.world.state()?.pid).toBe(state.pid);
		expect(peak - before).toBeLessThan(RSS_HEADROOM);
	}
}

describe('a misbehaving server', () => {
	it('sending a line of hundreds of MiB with no newline is restarted, and its call fails naming it, the size and the setting', async () => {
		await start();
		const caller = await session('caller');
		const {restarts} = await serverStatus('bad');
		const failure = await unharmedWhile(async () =>
			call(caller, 'bad__huge_line', {mib: 300}).then(
				() => undefined,
				(error: Error) => error,
			),
		);
		expect(failure?.message).toMatch(/server "bad".*more than \d+ bytes.*maxMessage, MCPPROXY_MAX_MESSAGE/);
		await eventually(async () => (await serverStatus('bad')).state === 'ready', 20_000, 'bad restarted');
		const status = await serverStatus('bad');
		expect(status.restarts).toBeGreaterThan(restarts);
		expect(status.oversized).toBe(1);
		expect(text(await call(caller, 'bad__echo', {text: 'back'}))).toBe('Echo: back');
		expect((await serverStatus('good')).restarts).toBe(0);
	});

	it('flooding log notifications to a client that reads them: the flooding call is answered, the neighbour unharmed', async () => {
		await start();
		const caller = await session('caller');
		let logs = 0;
		caller.setNotificationHandler(LoggingMessageNotificationSchema, () => {
			logs++;
		});
		const result = await unharmedWhile(async () => call(caller, 'bad__flood', {seconds: 4}));
		expect(text(result)).toMatch(/^flooded \d+$/);
		expect(logs).toBeGreaterThan(0);
	});

	it('flooding a bridge whose client does not read: replies wait, notifications are dropped and counted, the client is told', async () => {
		const {world, state, token} = await start();
		const bridge = world.spawn(process.execPath, [BRIDGE]);
		const received = new Messages();
		const lines = new LineSplitter(line => received.push(JSON.parse(line)));
		bridge.stdout!.on('data', (chunk: Buffer) => lines.push(chunk));
		const send = (message: object) => bridge.stdin!.write(`${JSON.stringify({jsonrpc: '2.0', ...message})}\n`);
		send({
			id: 1,
			method: 'initialize',
			params: {protocolVersion: '2025-06-18', capabilities: {}, clientInfo: {name: 'frozen', version: '1'}},
		});
		await received.find(message => 'id' in message && message.id === 1, 20_000);
		send({method: 'notifications/initialized'});
		// From here the client stops reading, as a suspended `claude` does.
		bridge.stdout!.pause();
		send({id: 2, method: 'tools/call', params: {name: 'bad__flood', arguments: {seconds: 4}}});
		await unharmedWhile(async () => sleep(6000));
		const {sessions} = await daemonStatus(state, token);
		expect(sessions.some(entry => entry.dropped > 0)).toBe(true);
		bridge.stdout!.resume();
		const reply = await received.find(message => 'id' in message && message.id === 2, 20_000);
		expect(JSON.stringify(reply)).toMatch(/flooded \d+/);
		const notice = await received.find(message => JSON.stringify(message).includes('mcp-tooling dropped'), 5000);
		expect(JSON.stringify(notice)).toMatch(/dropped \d+ notifications/);
	});

	it('sending valid JSON of the wrong shape gets an error for its call, and stays up', async () => {
		await start();
		const caller = await session('caller');
		const failure = await unharmedWhile(async () =>
			call(caller, 'bad__wrong_shapes').then(
				() => undefined,
				(error: Error) => error,
			),
		);
		expect(failure?.message).toContain('server "bad" sent an invalid reply: "result" is a string, not an object');
		const status = await serverStatus('bad');
		expect(status).toMatchObject({state: 'ready', restarts: 0});
		expect(status.invalid).toBeGreaterThan(0);
		expect(text(await call(caller, 'bad__echo', {text: 'still here'}))).toBe('Echo: still here');
	});

	it('writing binary garbage to stdout has it skipped and counted, and answers its call', async () => {
		await start();
		const caller = await session('caller');
		const result = await unharmedWhile(async () => call(caller, 'bad__garbage'));
		expect(text(result)).toBe('after garbage');
		expect((await serverStatus('bad')).invalid).toBeGreaterThan(0);
	});
});

/** A raw connection to the daemon's socket, with what it received. */
async function rawSocket(state: DaemonState): Promise<{socket: Socket; closed: Promise<number>; received: () => string}> {
	const socket = connectSocket(state.socket);
	let received = '';
	socket.on('data', chunk => (received += String(chunk)));
	socket.on('error', () => undefined);
	const opened = performance.now();
	const closed = new Promise<number>(resolve => socket.once('close', () => resolve(performance.now() - opened)));
	await new Promise(resolve => socket.once('connect', resolve));
	return {socket, closed, received: () => received};
}

describe('a misbehaving client', () => {
	it('that connects to the socket and never greets is closed after a few seconds', async () => {
		const {state} = await start();
		const {closed} = await rawSocket(state);
		expect(await closed).toBeGreaterThan(4000);
		expect(await closed).toBeLessThan(9000);
	});

	it('past 64 connections that have not greeted, the next is closed at once', async () => {
		const {state} = await start();
		const held = await Promise.all(Array.from({length: 64}, async () => rawSocket(state)));
		const extra = await rawSocket(state);
		expect(await extra.closed).toBeLessThan(1000);
		for (const connection of held) {
			connection.socket.destroy();
		}

		// Their places free again, a bridge connects as ever.
		const client = await session('after');
		expect((await client.listTools()).tools.length).toBeGreaterThan(0);
	});

	it('that sends a message over the limit after its greeting has its connection reset, and the daemon goes on', async () => {
		const {state, token, daemon} = await start({MCPPROXY_MAX_MESSAGE: String(MIB)});
		const neighbour = await session('neighbour');
		const {socket, closed} = await rawSocket(state);
		socket.write(greetingLine({token}));
		socket.write(`{"jsonrpc":"2.0","id":1,"method":"ping","params":{"pad":"${'x'.repeat(2 * MIB)}"}}\n`);
		await closed;
		expect(daemon.exitCode).toBeNull();
		expect(text(await call(neighbour, 'good__echo', {message: 'fine'}))).toContain('fine');
		expect((await daemonStatus(state, token)).sessions.length).toBe(1);
	});

	it('that sends its HTTP request headers too slowly is cut off after the headers timeout', async () => {
		const {state} = await start();
		const socket = connectSocket(state.port, '127.0.0.1');
		socket.on('error', () => undefined);
		const opened = performance.now();
		const closed = new Promise<number>(resolve => socket.once('close', () => resolve(performance.now() - opened)));
		socket.write('POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\n');
		// One more header line now and then, never the blank line that ends them.
		const drip = setInterval(() => socket.write('X-Slow: 1\r\n'), 1000);
		try {
			const after = await closed;
			expect(after).toBeGreaterThan(9000);
			expect(after).toBeLessThan(15_000);
		} finally {
			clearInterval(drip);
		}
	}, 30_000);

	it('that writes a line over the limit to its bridge gets a parse error, and the bridge goes on', async () => {
		const {world} = await start({MCPPROXY_MAX_MESSAGE: String(MIB)});
		const bridge = world.spawn(process.execPath, [BRIDGE]);
		const received = new Messages();
		const lines = new LineSplitter(line => received.push(JSON.parse(line)));
		bridge.stdout!.on('data', (chunk: Buffer) => lines.push(chunk));
		bridge.stdin!.write(`{"jsonrpc":"2.0","id":1,"method":"ping","params":{"pad":"${'x'.repeat(2 * MIB)}"}}\n`);
		bridge.stdin!.write(`${JSON.stringify({jsonrpc: '2.0', id: 2, method: 'ping'})}\n`);
		const error = await received.find(message => 'error' in message, 10_000);
		expect(JSON.stringify(error)).toMatch(/more than \d+ bytes was dropped.*MCPPROXY_MAX_MESSAGE/);
		expect(await received.find(message => 'id' in message && message.id === 2, 10_000)).toMatchObject({result: {}});
	});
});
