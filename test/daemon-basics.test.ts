import {afterAll, beforeAll, expect, it} from 'vitest';
import type {DaemonState} from '../src/contract/state-file.js';
import {connect} from './support/client.js';
import {servers, World} from './support/daemon.js';
import {serversReady} from './support/ready.js';

let world: World;
let state: DaemonState;

beforeAll(async () => {
	world = new World();
	world.writeConfig({
		mcpServers: {everything: servers.everything(), memory: servers.memory(`${world.root}/memory.jsonl`)},
	});
	({state} = await world.runDaemon());
	await serversReady(state, world.token());
});

afterAll(async () => world.dispose());

it('lists the tools of every upstream under its server name', async () => {
	const client = await connect(state, world.token());
	const {tools} = await client.listTools();
	const names = tools.map(tool => tool.name);
	expect(names).toContain('everything__echo');
	expect(names).toContain('memory__create_entities');
	for (const name of names) {
		expect(`mcp__plugin_mcp-tooling_mcp__${name}`.length).toBeLessThanOrEqual(64);
	}

	await client.close();
});

it('calls a tool on its upstream and returns its result unchanged', async () => {
	const client = await connect(state, world.token());
	const result = await client.callTool({name: 'everything__echo', arguments: {message: 'hello'}});
	expect(result).toEqual({content: [{type: 'text', text: 'Echo: hello'}]});
	await client.close();
});
