import type {Client} from '@modelcontextprotocol/sdk/client/index.js';
import {ToolListChangedNotificationSchema} from '@modelcontextprotocol/sdk/types.js';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {DaemonState} from '../src/contract/state-file.js';
import {connect} from './support/client.js';
import {eventually, isAlive, servers, World} from './support/daemon.js';
import {runCli} from './support/lifecycle.js';
import {daemonStatus} from './support/raw-http.js';

let world: World;
let state: DaemonState;
let client: Client;
let listChanged = 0;

async function pidOf(name: string): Promise<number | undefined> {
	const server = (await daemonStatus(state, world.token())).servers.find(entry => entry.name === name && entry.state === 'ready');
	return server?.pid ?? undefined;
}

async function toolNames(): Promise<string[]> {
	return (await client.listTools()).tools.map(tool => tool.name);
}

async function echo(message: string): Promise<unknown> {
	return client.callTool({name: 'everything__echo', arguments: {message}});
}

beforeAll(async () => {
	world = new World();
	world.writeConfig({mcpServers: {everything: servers.everything()}});
	({state} = await world.runDaemon());
	client = await connect(state, world.token());
	client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
		listChanged++;
	});
	await eventually(async () => (await pidOf('everything')) !== undefined);
});

afterAll(async () => {
	await client.close();
	await world.dispose();
});

describe('editing mcp_proxy_config.json while the daemon runs', () => {
	it('starts an added server without touching the others, and tells the session', async () => {
		const everything = await pidOf('everything');
		const before = listChanged;
		world.writeConfig({
			mcpServers: {everything: servers.everything(), memory: servers.memory(`${world.root}/memory.jsonl`)},
		});
		await eventually(async () => (await toolNames()).includes('memory__read_graph'), 15_000, 'the memory tools');
		await eventually(() => listChanged > before, 5000, 'tools/list_changed');
		expect(await pidOf('everything')).toBe(everything);
		expect(await echo('still here')).toEqual({content: [{type: 'text', text: 'Echo: still here'}]});
	});

	it('restarts a changed server, and only that one', async () => {
		const everything = await pidOf('everything');
		const memory = (await pidOf('memory'))!;
		world.writeConfig({
			mcpServers: {everything: servers.everything(), memory: servers.memory(`${world.root}/other-memory.jsonl`)},
		});
		const restarted = await eventually(async () => {
			const pid = await pidOf('memory');
			return pid !== undefined && pid !== memory && pid;
		});
		expect(restarted).not.toBe(memory);
		await eventually(() => !isAlive(memory), 5000, 'the old memory server to exit');
		expect(await pidOf('everything')).toBe(everything);
		expect(await toolNames()).toContain('memory__read_graph');
	});

	it('keeps everything running as it was when an edit does not load, and says why in status', async () => {
		const pids = [await pidOf('everything'), await pidOf('memory')];
		world.writeConfig('{"mcpServers": {"everything": ');
		const error = await eventually(async () => (await daemonStatus(state, world.token())).configError);
		expect(error).toContain(world.configFile);
		const shown = await runCli(world, ['daemon', 'status']);
		expect(shown.stdout).toContain('Config: the latest edit was not applied; the daemon runs the config it had before.');
		expect(shown.stdout).toContain(world.configFile);
		expect(JSON.parse((await runCli(world, ['daemon', 'status', '--json'])).stdout)).toMatchObject({
			running: true,
			configError: error,
		});
		expect([await pidOf('everything'), await pidOf('memory')]).toEqual(pids);
		expect(await echo('unharmed')).toEqual({content: [{type: 'text', text: 'Echo: unharmed'}]});
	});

	it('stops a removed server and drops its tools, and the session goes on', async () => {
		const everything = (await pidOf('everything'))!;
		world.writeConfig({mcpServers: {memory: servers.memory(`${world.root}/other-memory.jsonl`)}});
		await eventually(async () => !(await toolNames()).includes('everything__echo'), 15_000, 'the everything tools to go');
		await eventually(() => !isAlive(everything), 5000, 'the everything server to exit');
		expect((await daemonStatus(state, world.token())).configError).toBeNull();
		expect(await client.callTool({name: 'memory__read_graph', arguments: {}})).toHaveProperty('content');
	});
});
