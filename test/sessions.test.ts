import type {Client} from '@modelcontextprotocol/sdk/client/index.js';
import type {StreamableHTTPClientTransport} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
	CallToolResultSchema,
	LoggingMessageNotificationSchema,
	ProgressNotificationSchema,
	ResourceUpdatedNotificationSchema,
	type CallToolResult,
} from '@modelcontextprotocol/sdk/types.js';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {DaemonState} from '../src/contract/state-file.js';
import {connect} from './support/client.js';
import {eventually, servers, World} from './support/daemon.js';
import {exposedToolName, listAllTools} from './support/names.js';
import {daemonStatus, RawSession} from './support/raw-http.js';
import {serversReady} from './support/ready.js';

function text(result: CallToolResult): string {
	return result.content.map(item => (item.type === 'text' ? item.text : '')).join('\n');
}

/** Ends a session the way a polite client does: DELETE. */
async function terminate(client: Client): Promise<void> {
	await (client.transport as StreamableHTTPClientTransport).terminateSession();
}

/** Progress notifications a session receives, whoever they were meant for. */
function progressOf(client: Client): Array<{progressToken: string | number; progress: number}> {
	const received: Array<{progressToken: string | number; progress: number}> = [];
	client.setNotificationHandler(ProgressNotificationSchema, notification => {
		received.push({progressToken: notification.params.progressToken, progress: notification.params.progress});
	});
	return received;
}

describe('concurrent sessions', () => {
	let world: World;
	let state: DaemonState;
	let longRunning: string;
	const clients: Client[] = [];

	async function sessions(count: number): Promise<Client[]> {
		const opened = await Promise.all(
			Array.from({length: count}, async (_, index) => connect(state, world.token(), {}, `session-${index}`)),
		);
		clients.push(...opened);
		return opened;
	}

	/** Each session calls echo and a long-running operation at once, under its own progress token. */
	async function callConcurrently(opened: Client[]): Promise<void> {
		const progress = opened.map(client => progressOf(client));
		const results = await Promise.all(
			opened.map(async (client, index) => {
				const operation = client.request(
					{
						method: 'tools/call',
						params: {
							name: longRunning,
							arguments: {duration: 0.6, steps: 3},
							_meta: {progressToken: `token-of-${index}`},
						},
					},
					CallToolResultSchema,
				);
				const echoes = await Promise.all(
					[1, 2, 3].map(async round =>
						client.callTool({name: 'everything__echo', arguments: {message: `session ${index} round ${round}`}}),
					),
				);
				return {echoes: echoes.map(echo => text(echo as CallToolResult)), operation: text(await operation)};
			}),
		);

		for (const [index, result] of results.entries()) {
			expect(result.echoes).toEqual([1, 2, 3].map(round => `Echo: session ${index} round ${round}`));
			expect(result.operation).toContain('Long running operation completed');
			expect(progress[index]).toEqual([1, 2, 3].map(step => ({progressToken: `token-of-${index}`, progress: step})));
		}
	}

	beforeAll(async () => {
		world = new World();
		world.writeConfig({mcpServers: {everything: servers.everything()}});
		({state} = await world.runDaemon());
		await serversReady(state, world.token());
		const client = await connect(state, world.token());
		clients.push(client);
		longRunning = exposedToolName(await listAllTools(client), 'everything', 'trigger-long-running-operation');
	});

	afterAll(async () => {
		await Promise.all(clients.map(async client => client.close()));
		await world.dispose();
	});

	it('gives two sessions calling at once only their own replies and progress', async () => {
		await callConcurrently(await sessions(2));
	});

	it('gives eight sessions calling at once only their own replies and progress', async () => {
		await callConcurrently(await sessions(8));
	});

	it('keeps two concurrent calls of one session apart by their progress tokens', async () => {
		const [client] = await sessions(1);
		const progress = progressOf(client!);
		const call = async (token: string, steps: number) =>
			client!.request(
				{
					method: 'tools/call',
					params: {name: longRunning, arguments: {duration: 0.4, steps}, _meta: {progressToken: token}},
				},
				CallToolResultSchema,
			);
		await Promise.all([call('first', 2), call('second', 4)]);
		expect(progress.filter(entry => entry.progressToken === 'first').map(entry => entry.progress)).toEqual([1, 2]);
		expect(progress.filter(entry => entry.progressToken === 'second').map(entry => entry.progress)).toEqual([1, 2, 3, 4]);
		expect(progress).toHaveLength(6);
	});

	it('sends resource updates only to the sessions subscribed', async () => {
		const uri = 'everything+demo://resource/static/document/architecture.md';
		const opened = await sessions(4);
		const updates = opened.map(client => {
			const received: string[] = [];
			client.setNotificationHandler(ResourceUpdatedNotificationSchema, notification => void received.push(notification.params.uri));
			return received;
		});
		const subscribers = [opened[1]!, opened[3]!];
		await Promise.all(subscribers.map(async client => client.subscribeResource({uri})));
		const toggle = exposedToolName(await listAllTools(opened[0]!), 'everything', 'toggle-subscriber-updates');
		await opened[0]!.callTool({name: toggle, arguments: {}});
		await eventually(() => updates[1]!.length > 0 && updates[3]!.length > 0, 10_000, 'updates to both subscribers');
		await opened[0]!.callTool({name: toggle, arguments: {}});
		// The server repeats its updates every 5 s, so a subscriber may get more than one: of this URI only.
		expect(updates.map(received => [...new Set(received)])).toEqual([[], [uri], [], [uri]]);
	});

	it('releases the upstream subscription of a session that ends', async () => {
		const uri = 'demo://resource/static/document/how-it-works.md';
		const [watcher, subscriber] = await sessions(2);
		const logs: string[] = [];
		watcher!.setNotificationHandler(LoggingMessageNotificationSchema, notification => void logs.push(String(notification.params.data)));
		await subscriber!.subscribeResource({uri: `everything+${uri}`});
		await terminate(subscriber!);
		await eventually(
			() => logs.some(line => line.startsWith(`Received Unsubscribe Resource request: ${uri}`)),
			10_000,
			'the upstream unsubscribe',
		);
	});

	it("keeps a session's subscription when its server restarts", async () => {
		const uri = 'everything+demo://resource/static/document/startup.md';
		const [client] = await sessions(1);
		const updates: string[] = [];
		client!.setNotificationHandler(ResourceUpdatedNotificationSchema, notification => void updates.push(notification.params.uri));
		await client!.subscribeResource({uri});
		const before = (await daemonStatus(state, world.token())).servers.find(server => server.name === 'everything')!;
		process.kill(before.pid!, 'SIGKILL');
		await eventually(
			async () => {
				const after = (await daemonStatus(state, world.token())).servers.find(server => server.name === 'everything');
				return after?.state === 'ready' && after.pid !== before.pid;
			},
			15_000,
			'the restarted server',
		);

		const toggle = exposedToolName(await listAllTools(client!), 'everything', 'toggle-subscriber-updates');
		await client!.callTool({name: toggle, arguments: {}});
		await eventually(() => updates.length > 0, 10_000, 'an update after the restart');
		await client!.callTool({name: toggle, arguments: {}});
		expect(new Set(updates)).toEqual(new Set([uri]));
	});

	it('counts the live sessions in the status', async () => {
		const before = (await daemonStatus(state, world.token())).sessions.length;
		const [client] = await sessions(1);
		expect((await daemonStatus(state, world.token())).sessions).toHaveLength(before + 1);
		await terminate(client!);
		expect((await daemonStatus(state, world.token())).sessions).toHaveLength(before);
	});
});

describe('the end of a session', () => {
	// Long enough that a loaded machine does not expire a session between two requests of a test.
	const IDLE_S = 3;
	let world: World;
	let state: DaemonState;
	let token: string;

	beforeAll(async () => {
		world = new World();
		world.writeConfig({mcpServers: {everything: servers.everything()}});
		({state} = await world.runDaemon('mcp-user', {MCPPROXY_SESSION_IDLE: String(IDLE_S)}));
		token = world.token();
		await serversReady(state, token);
	});

	afterAll(async () => world.dispose());

	it('comes with DELETE: the session id then answers 404', async () => {
		const session = await RawSession.open(state, token);
		expect((await session.post({jsonrpc: '2.0', id: 1, method: 'ping'})).status).toBe(200);
		expect((await session.delete()).status).toBe(200);
		expect((await session.post({jsonrpc: '2.0', id: 2, method: 'ping'})).status).toBe(404);
		expect((await session.get()).status).toBe(404);
	});

	it('comes after MCPPROXY_SESSION_IDLE seconds for a client that went quiet without a stream', async () => {
		const session = await RawSession.open(state, token);
		// Taken before the session's last activity, so a slow answer cannot make the expiry look early.
		const started = Date.now();
		expect((await session.post({jsonrpc: '2.0', id: 1, method: 'ping'})).status).toBe(200);
		await eventually(
			async () => (await daemonStatus(state, token)).sessions.every(entry => entry.id !== session.id),
			10_000,
			'the idle session to expire',
		);
		expect(Date.now() - started).toBeGreaterThanOrEqual(IDLE_S * 1000 - 50);
		expect((await session.post({jsonrpc: '2.0', id: 2, method: 'ping'})).status).toBe(404);
	});

	it('does not come for a client that keeps its GET stream open', async () => {
		const client = await connect(state, token);
		const id = (client.transport as StreamableHTTPClientTransport).sessionId;
		// The idle timeout passes, and two sweeps (one a second) after it.
		await new Promise(resolve => setTimeout(resolve, (IDLE_S + 2) * 1000));
		expect((await daemonStatus(state, token)).sessions.map(entry => entry.id)).toContain(id);
		expect(await client.ping()).toEqual({});
		await client.close();
	});

	it('does not come while the client waits on a long call', async () => {
		const session = await RawSession.open(state, token);
		const tools = (await (await session.post({jsonrpc: '2.0', id: 1, method: 'tools/list'})).json()) as {
			result: {tools: Array<{name: string}>};
		};
		const longRunning = exposedToolName(tools.result.tools as never, 'everything', 'trigger-long-running-operation');
		const response = await session.post({
			jsonrpc: '2.0',
			id: 2,
			method: 'tools/call',
			params: {name: longRunning, arguments: {duration: IDLE_S + 1.5, steps: 1}},
		});
		expect(response.status).toBe(200);
		expect(await response.text()).toContain('Long running operation completed');
		expect((await session.post({jsonrpc: '2.0', id: 3, method: 'ping'})).status).toBe(200);
		await session.delete();
	});
});
