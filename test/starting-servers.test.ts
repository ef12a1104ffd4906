import type {Client} from '@modelcontextprotocol/sdk/client/index.js';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {DaemonState} from '../src/contract/state-file.js';
import {connect} from './support/client.js';
import {servers, World} from './support/daemon.js';
import {daemonStatus} from './support/raw-http.js';
import {serversReady} from './support/ready.js';

function text(result: unknown): string {
	return ((result as {content: Array<{type: string; text?: string}>}).content ?? []).map(item => item.text ?? '').join('\n');
}

describe('in retrieve mode, a server still starting after the session connected', () => {
	let world: World;
	let state: DaemonState;
	let client: Client;

	beforeAll(async () => {
		world = new World({MCPPROXY_ROUTING: 'retrieve'});
		// Slower than the daemon waits for a first start (5 s) at initialize, so the session is
		// connected and calling while the server is still starting.
		world.writeConfig({
			mcpServers: {slower: {...servers.everythingAfter(10), description: 'The reference server, slow to start'}},
		});
		({state} = await world.runDaemon());
		client = await connect(state, world.token());
	});

	afterAll(async () => {
		await client.close();
		await world.dispose();
	});

	it('is waited for by call_tool and retrieve_tools, as a direct call waits, and both then succeed', async () => {
		expect((await daemonStatus(state, world.token())).servers).toEqual([expect.objectContaining({name: 'slower', state: 'starting'})]);
		const [called, retrieved] = await Promise.all([
			client.callTool({name: 'call_tool', arguments: {name: 'slower__echo', args: {message: 'after the wait'}}}),
			client.callTool({name: 'retrieve_tools', arguments: {query: 'echo a message back'}}),
		]);
		expect(called.isError).toBeFalsy();
		expect(text(called)).toBe('Echo: after the wait');
		const {tools} = retrieved.structuredContent as {tools: Array<{name: string}>};
		expect(tools.map(tool => tool.name)).toContain('slower__echo');
	});

	it("names the server with its entry's description in retrieve_tools, for the model to know what it is for", async () => {
		await serversReady(state, world.token());
		const {tools} = await client.listTools();
		const retrieve = tools.find(tool => tool.name === 'retrieve_tools')!;
		expect(retrieve.description).toMatch(/slower \(\d+ tools: The reference server, slow to start\)/);
	});
});
