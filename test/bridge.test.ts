import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {JSONRPCMessage, JSONRPCRequest, RequestId} from '@modelcontextprotocol/sdk/types.js';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {Bridge} from '../src/bridge/bridge.js';
import {FakeDaemon, INITIALIZE_RESULT, type Answers, type DaemonEndpoint, type FakeSession} from './support/fake-daemon.js';
import {isNotification, isReplyTo, isRequestFor, Messages} from './support/messages.js';

// The bridge's promises to its client, one rule a test, in-process: the bridge talks over a real
// Unix socket to a fake daemon the test drives, and writes to the client through `write`.

const IDENTITY = {clientPid: 4242, sessionId: 'session-1', projectDir: '/home/me/project'};

const INITIALIZE: JSONRPCRequest = {
	jsonrpc: '2.0',
	id: 0,
	method: 'initialize',
	params: {
		protocolVersion: '2025-11-25',
		capabilities: {roots: {listChanged: true}},
		clientInfo: {name: 'claude-code', version: '2.1.331'},
	},
};

function request(id: RequestId, method: string, params: Record<string, unknown> = {}): JSONRPCRequest {
	return {jsonrpc: '2.0', id, method, params};
}

function notification(method: string, params?: Record<string, unknown>): JSONRPCMessage {
	return {jsonrpc: '2.0', method, ...(params && {params})};
}

/** Long enough for a message to cross the socket and be acted on, for tests that something does not happen. */
async function settle(): Promise<void> {
	await new Promise(resolve => setTimeout(resolve, 25));
}

let dir: string;
const daemons: FakeDaemon[] = [];
const bridges: Bridge[] = [];

beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'bridge-'));
});

afterEach(async () => {
	for (const bridge of bridges.splice(0)) {
		bridge.close();
	}

	await Promise.all(daemons.splice(0).map(async daemon => daemon.kill()));
	rmSync(dir, {recursive: true, force: true});
});

async function daemon(answers?: Answers): Promise<FakeDaemon> {
	const started = await FakeDaemon.start(dir, answers);
	daemons.push(started);
	return started;
}

type Harness = {
	bridge: Bridge;
	/** What the bridge wrote to its client. */
	client: Messages;
	/** The `verified` flag of each time the bridge asked where the daemon is. */
	connects: boolean[];
};

/** A bridge whose `connect` is `find`, asked afresh each time, so a test can move the daemon. */
function bridgeTo(find: (verified: boolean) => DaemonEndpoint): Harness {
	const client = new Messages();
	const connects: boolean[] = [];
	const bridge = new Bridge({
		async connect(verified) {
			connects.push(verified);
			return find(verified);
		},
		write: client.push,
		maxMessageBytes: 1024 * 1024,
		onOverflow: () => undefined,
		identity: IDENTITY,
	});
	bridges.push(bridge);
	return {bridge, client, connects};
}

/** The client's handshake, done: its first session, on `on`. */
async function initialized({bridge, client}: Harness, on: FakeDaemon): Promise<FakeSession> {
	await bridge.fromClient(INITIALIZE);
	await client.find(isReplyTo(INITIALIZE.id));
	await bridge.fromClient(notification('notifications/initialized'));
	const session = await on.session(0);
	await session.received.find(isNotification('notifications/initialized'));
	return session;
}

/** The replies the client got to `id`. */
function repliesTo(client: Messages, id: RequestId): JSONRPCMessage[] {
	return client.filter(isReplyTo(id));
}

describe('before the client initializes', () => {
	it('answers ping itself, without looking for a daemon', async () => {
		const harness = bridgeTo(() => {
			throw new Error('not to be asked');
		});
		await harness.bridge.fromClient(request(1, 'ping'));
		expect(harness.client.all).toEqual([{jsonrpc: '2.0', id: 1, result: {}}]);
		expect(harness.connects).toEqual([]);
	});

	it('answers any other request (Claude Code probes with server/discover) with Method not found', async () => {
		const harness = bridgeTo(() => {
			throw new Error('not to be asked');
		});
		await harness.bridge.fromClient(request('probe', 'server/discover'));
		expect(harness.client.all).toEqual([
			{jsonrpc: '2.0', id: 'probe', error: {code: -32_601, message: 'Method not found: server/discover'}},
		]);
		expect(harness.connects).toEqual([]);
	});

	it('drops notifications: there is no session to give them to', async () => {
		const harness = bridgeTo(() => {
			throw new Error('not to be asked');
		});
		await harness.bridge.fromClient(notification('notifications/roots/list_changed'));
		expect(harness.client.all).toEqual([]);
		expect(harness.connects).toEqual([]);
	});
});

describe('the first session', () => {
	it('asks for the daemon its files name, unverified, and greets it with the token and whom it serves', async () => {
		const first = await daemon();
		const harness = bridgeTo(() => first.endpoint);
		await harness.bridge.fromClient(INITIALIZE);
		expect(harness.connects).toEqual([false]);
		expect(await (await first.session()).greeting).toEqual({token: first.endpoint.token, ...IDENTITY});
	});

	it("carries the client's own initialize, and passes the daemon's answer back as it came", async () => {
		const first = await daemon();
		const harness = bridgeTo(() => first.endpoint);
		await harness.bridge.fromClient(INITIALIZE);
		expect(await (await first.session()).received.find(isRequestFor('initialize'))).toEqual(INITIALIZE);
		expect(await harness.client.find(isReplyTo(INITIALIZE.id))).toEqual({
			jsonrpc: '2.0',
			id: INITIALIZE.id,
			result: INITIALIZE_RESULT,
		});
	});

	it('relays requests, answers and notifications both ways, ids unchanged', async () => {
		const first = await daemon();
		const harness = bridgeTo(() => first.endpoint);
		const session = await initialized(harness, first);

		await harness.bridge.fromClient(request('list-1', 'tools/list'));
		const list = await session.received.find(isRequestFor('tools/list'));
		expect(list.id).toBe('list-1');
		session.reply(list, {tools: []});
		expect(await harness.client.find(isReplyTo('list-1'))).toEqual({jsonrpc: '2.0', id: 'list-1', result: {tools: []}});

		const log = notification('notifications/message', {level: 'info', data: 'hello'});
		session.send(log);
		expect(await harness.client.find(isNotification('notifications/message'))).toEqual(log);

		// The daemon asks the client too (roots, sampling, elicitation), and hears its answer.
		session.send(request(7, 'roots/list'));
		expect(await harness.client.find(isRequestFor('roots/list'))).toEqual(request(7, 'roots/list'));
		await harness.bridge.fromClient({jsonrpc: '2.0', id: 7, result: {roots: []}});
		expect(await session.received.find(isReplyTo(7))).toEqual({jsonrpc: '2.0', id: 7, result: {roots: []}});
	});

	it('sends what the client says while the session is being opened, in the order it said it', async () => {
		const first = await daemon();
		const harness = bridgeTo(() => first.endpoint);
		const said = [INITIALIZE, notification('notifications/initialized'), request(1, 'tools/list'), request(2, 'prompts/list')];
		await Promise.all(said.map(async message => harness.bridge.fromClient(message)));
		const session = await first.session();
		await session.received.find(isRequestFor('prompts/list'));
		expect(session.received.all).toEqual(said);
		expect(harness.connects).toEqual([false]);
	});

	it('asks for a verified daemon when the one its files name does not listen', async () => {
		const live = await daemon();
		const harness = bridgeTo(verified => (verified ? live.endpoint : {socket: join(dir, 'gone.sock'), token: 'stale'}));
		await harness.bridge.fromClient(INITIALIZE);
		expect(await harness.client.find(isReplyTo(INITIALIZE.id))).toMatchObject({result: INITIALIZE_RESULT});
		expect(harness.connects).toEqual([false, true]);
	});

	it('answers initialize with an error naming the cause when no daemon can be found or started', async () => {
		const harness = bridgeTo(verified => {
			throw new Error(verified ? 'the daemon would not start' : 'no daemon recorded');
		});
		await harness.bridge.fromClient(INITIALIZE);
		expect(harness.client.all).toEqual([
			{
				jsonrpc: '2.0',
				id: INITIALIZE.id,
				error: {code: -32_603, message: 'mcp-tooling could not reach its daemon: the daemon would not start'},
			},
		]);
		expect(harness.connects).toEqual([false, true]);
	});
});

describe('a new session, when the daemon has gone', () => {
	it('is opened only when the client next needs the daemon, not as soon as the daemon goes', async () => {
		const first = await daemon();
		const second = await daemon();
		let live = first;
		const harness = bridgeTo(() => live.endpoint);
		await initialized(harness, first);
		live = second;
		await first.kill();
		await settle();
		expect(harness.connects).toEqual([false]);

		await harness.bridge.fromClient(request(1, 'tools/list'));
		expect(await (await second.session()).received.find(isRequestFor('tools/list'))).toEqual(request(1, 'tools/list'));
		expect(harness.connects).toEqual([false, false]);
	});

	it("answers the client's request with an error when the daemon has gone and none can be reached", async () => {
		const first = await daemon();
		let live = (): DaemonEndpoint => first.endpoint;
		const harness = bridgeTo(() => live());
		await initialized(harness, first);
		live = () => {
			throw new Error('no daemon would start');
		};

		await first.kill();
		await harness.bridge.fromClient(request(1, 'tools/list'));
		expect(await harness.client.find(isReplyTo(1))).toEqual({
			jsonrpc: '2.0',
			id: 1,
			error: {code: -32_603, message: 'mcp-tooling could not reach its daemon: no daemon would start'},
		});
		expect(repliesTo(harness.client, 1)).toHaveLength(1);
	});

	it("replays the client's initialize under an id of the bridge's own, and keeps the answer from the client", async () => {
		const first = await daemon();
		const second = await daemon();
		let live = first;
		const harness = bridgeTo(() => live.endpoint);
		await initialized(harness, first);
		live = second;
		await first.kill();

		await harness.bridge.fromClient(request(1, 'tools/list'));
		const session = await second.session();
		await session.received.find(isRequestFor('tools/list'));
		const [replayed, initializedAgain] = session.received.all;
		expect(replayed).toEqual({...INITIALIZE, id: expect.stringMatching(/^mcp-tooling\//) as unknown});
		expect(initializedAgain).toEqual(notification('notifications/initialized'));
		expect(harness.client.all.filter(message => 'id' in message)).toEqual([{jsonrpc: '2.0', id: INITIALIZE.id, result: INITIALIZE_RESULT}]);
	});

	it('replays the log level the client set and the subscriptions it still holds', async () => {
		const first = await daemon();
		const second = await daemon();
		let live = first;
		const harness = bridgeTo(() => live.endpoint);
		await initialized(harness, first);
		const setUp = [
			request(1, 'logging/setLevel', {level: 'debug'}),
			request(2, 'resources/subscribe', {uri: 'file:///kept'}),
			request(3, 'resources/subscribe', {uri: 'file:///dropped'}),
			request(4, 'resources/unsubscribe', {uri: 'file:///dropped'}),
		];
		for (const message of setUp) {
			await harness.bridge.fromClient(message);
		}

		await harness.client.find(isReplyTo(4));
		live = second;
		await first.kill();

		await harness.bridge.fromClient(request(5, 'tools/list'));
		const session = await second.session();
		await session.received.find(isRequestFor('tools/list'));
		const withoutIds = session.received.all.map(message => ('method' in message ? [message.method, message.params] : message));
		expect(withoutIds).toEqual([
			['initialize', INITIALIZE.params],
			['notifications/initialized', undefined],
			['logging/setLevel', {level: 'debug'}],
			['resources/subscribe', {uri: 'file:///kept'}],
			['tools/list', {}],
		]);
		await settle();
		expect(harness.client.all.filter(message => 'id' in message).map(message => (message as {id: RequestId}).id)).toEqual([0, 1, 2, 3, 4]);
	});

	it("sends the client's request only once the new daemon has answered the replayed initialize", async () => {
		const first = await daemon();
		const slow = await daemon({initialize: undefined});
		let live = first;
		const harness = bridgeTo(() => live.endpoint);
		await initialized(harness, first);
		live = slow;
		await first.kill();

		const sent = harness.bridge.fromClient(request(1, 'tools/list'));
		const session = await slow.session();
		const replayed = await session.received.find(isRequestFor('initialize'));
		await settle();
		expect(session.received.filter(isRequestFor('tools/list'))).toEqual([]);

		session.reply(replayed, INITIALIZE_RESULT);
		await sent;
		expect(await session.received.find(isRequestFor('tools/list'))).toEqual(request(1, 'tools/list'));
	});

	it('moves on to a daemon that answers, asked verified, when one drops it under the replay', async () => {
		const first = await daemon();
		const dying = await daemon({initialize: undefined});
		const answering = await daemon();
		let live = first;
		const harness = bridgeTo(verified => (verified ? answering.endpoint : live.endpoint));
		await initialized(harness, first);
		live = dying;
		await first.kill();

		const sent = harness.bridge.fromClient(request(1, 'tools/list'));
		const underReplay = await dying.session();
		await underReplay.received.find(isRequestFor('initialize'));
		underReplay.drop();
		await sent;

		expect(await (await answering.session()).received.find(isRequestFor('tools/list'))).toEqual(request(1, 'tools/list'));
		expect(underReplay.received.filter(isRequestFor('tools/list'))).toEqual([]);
		expect(harness.connects).toEqual([false, false, true]);
	});
});

describe('calls in flight when the daemon dies', () => {
	/** A bridge with a session on one daemon and `next` waiting to replace it. */
	async function inFlight(next: () => DaemonEndpoint): Promise<Harness & {session: FakeSession}> {
		const first = await daemon();
		let live = (): DaemonEndpoint => first.endpoint;
		const harness = bridgeTo(() => live());
		const session = await initialized(harness, first);
		live = next;
		return {...harness, session};
	}

	it('answers a tool call the daemon may have run with an error that says so, and does not run it again', async () => {
		const next = await daemon();
		const {bridge, client, session} = await inFlight(() => next.endpoint);
		await bridge.fromClient(request(1, 'tools/call', {name: 'everything__echo', arguments: {message: 'once'}}));
		await session.received.find(isRequestFor('tools/call'));
		session.drop();

		const reply = await client.find(isReplyTo(1));
		expect(reply).toMatchObject({
			error: {
				code: -32_603,
				message: expect.stringMatching(/stopped while "tools\/call" was running.*may or may not have taken effect/) as unknown,
			},
		});
		await settle();
		expect((await next.session()).received.filter(isRequestFor('tools/call'))).toEqual([]);
		expect(repliesTo(client, 1)).toHaveLength(1);
	});

	it("sends a request that changes nothing again, and passes the answer on under the client's id", async () => {
		const next = await daemon();
		const {bridge, client, session} = await inFlight(() => next.endpoint);
		await bridge.fromClient(request('read', 'resources/read', {uri: 'file:///a'}));
		await session.received.find(isRequestFor('resources/read'));
		session.drop();

		const again = await (await next.session()).received.find(isRequestFor('resources/read'));
		expect(again).toEqual(request('read', 'resources/read', {uri: 'file:///a'}));
		(await next.session()).reply(again, {contents: []});
		expect(await client.find(isReplyTo('read'))).toEqual({jsonrpc: '2.0', id: 'read', result: {contents: []}});
	});

	it("sends a tool call that the dying daemon's socket refused to the next daemon: the dead one never saw it", async () => {
		const next = await daemon();
		const {bridge, client, session} = await inFlight(() => next.endpoint);
		const call = request(1, 'tools/call', {name: 'memory__create', arguments: {}});
		// Dropped before the bridge has read the close: its write is refused (EPIPE).
		session.drop();
		await bridge.fromClient(call);

		const resent = await (await next.session()).received.find(isRequestFor('tools/call'));
		expect(resent).toEqual(call);
		(await next.session()).reply(resent, {content: []});
		expect(await client.find(isReplyTo(1))).toEqual({jsonrpc: '2.0', id: 1, result: {content: []}});
		expect(repliesTo(client, 1)).toHaveLength(1);
	});

	it('tells the client that the lists may have changed, once the new daemon is up', async () => {
		const next = await daemon();
		const {bridge, client, session} = await inFlight(() => next.endpoint);
		await bridge.fromClient(request(1, 'tools/list'));
		await session.received.find(isRequestFor('tools/list'));
		session.drop();

		for (const kind of ['tools', 'prompts', 'resources']) {
			expect(await client.find(isNotification(`notifications/${kind}/list_changed`))).toEqual(
				notification(`notifications/${kind}/list_changed`),
			);
		}
	});

	it('forgets a call the client cancelled: no error for it, and no new daemon on its account', async () => {
		const next = await daemon();
		const {bridge, client, session, connects} = await inFlight(() => next.endpoint);
		await bridge.fromClient(request(1, 'tools/call', {name: 'everything__longRunning', arguments: {}}));
		await bridge.fromClient(notification('notifications/cancelled', {requestId: 1, reason: 'user'}));
		await session.received.find(isNotification('notifications/cancelled'));
		session.drop();

		await settle();
		expect(repliesTo(client, 1)).toEqual([]);
		expect(connects).toEqual([false]);
	});

	it('opens one new session for all the calls in flight', async () => {
		const next = await daemon();
		const {bridge, client, session, connects} = await inFlight(() => next.endpoint);
		await bridge.fromClient(request(1, 'tools/list'));
		await bridge.fromClient(request(2, 'prompts/list'));
		await bridge.fromClient(request(3, 'tools/call', {name: 'everything__echo', arguments: {}}));
		await session.received.find(isRequestFor('tools/call'));
		session.drop();

		const resumed = await next.session();
		await resumed.received.find(isRequestFor('prompts/list'));
		await client.find(isReplyTo(3));
		expect(connects).toEqual([false, false]);
		expect(next.sessions).toHaveLength(1);
		expect(resumed.received.filter(isRequestFor('tools/list'))).toEqual([request(1, 'tools/list')]);
	});

	it('answers the calls in flight with an error when no new daemon can be reached', async () => {
		const {bridge, client, session} = await inFlight(() => {
			throw new Error('no daemon would start');
		});
		await bridge.fromClient(request(1, 'tools/list'));
		await bridge.fromClient(request(2, 'tools/call', {name: 'everything__echo', arguments: {}}));
		await session.received.find(isRequestFor('tools/call'));
		session.drop();

		for (const id of [1, 2]) {
			expect(await client.find(isReplyTo(id))).toEqual({
				jsonrpc: '2.0',
				id,
				error: {code: -32_603, message: 'mcp-tooling could not reach its daemon: no daemon would start'},
			});
		}
	});

	it('delivers a notification that found no session once the recovery after it reaches a daemon', async () => {
		const next = await daemon();
		let refusals = 2;
		const {bridge, session, connects} = await inFlight(() => {
			if (refusals-- > 0) {
				throw new Error('not yet');
			}

			return next.endpoint;
		});
		session.drop();
		await session.ended();
		await settle();

		await bridge.fromClient(notification('notifications/roots/list_changed'));
		expect(await (await next.session()).received.find(isNotification('notifications/roots/list_changed'))).toEqual(
			notification('notifications/roots/list_changed'),
		);
		expect(connects).toEqual([false, false, true, false]);
	});
});

describe('close', () => {
	it('ends the daemon session, and opens no other for calls still in flight', async () => {
		const first = await daemon();
		const harness = bridgeTo(() => first.endpoint);
		const session = await initialized(harness, first);
		await harness.bridge.fromClient(request(1, 'tools/call', {name: 'everything__echo', arguments: {}}));
		await session.received.find(isRequestFor('tools/call'));

		harness.bridge.close();
		await session.ended();
		await settle();
		expect(harness.connects).toEqual([false]);
		expect(repliesTo(harness.client, 1)).toEqual([]);
	});
});
