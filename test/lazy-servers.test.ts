import {existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import type {Client} from '@modelcontextprotocol/sdk/client/index.js';
import {ToolListChangedNotificationSchema} from '@modelcontextprotocol/sdk/types.js';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import type {DaemonState} from '../src/contract/state-file.js';
import {connect} from './support/client.js';
import {eventually, isAlive, REPO, serverScript, servers, waitForExit, World} from './support/daemon.js';
import {hook, idleProcess, runCli} from './support/lifecycle.js';
import {daemonStatus, type ServerStatus} from './support/raw-http.js';
import {serversReady} from './support/ready.js';

// A server that has run once is remembered: the next daemon offers it from its catalog without
// starting it, starts it on the first request that needs it, and stops it again when unused.

const PROBE = join(REPO, 'test', 'support', 'probe-server.mjs');

let world: World;
let clients: Client[];

beforeEach(() => {
	world = new World({MCPPROXY_HEALTH_INTERVAL: '600'});
	clients = [];
});

afterEach(async () => {
	await Promise.all(clients.map(async client => client.close()));
	await world.dispose();
});

function catalogDir(): string {
	return join(world.root, 'lib', 'mcpproxy', 'catalogs');
}

function catalogFiles(): string[] {
	return existsSync(catalogDir()) ? readdirSync(catalogDir()).sort() : [];
}

/** One daemon's life: it runs, its servers come up and list, then it stops as `daemon stop` stops it. */
async function learnAndStop(): Promise<void> {
	const {child, state} = await world.runDaemon();
	await serversReady(state, world.token());
	child.kill('SIGTERM');
	await waitForExit(child, 10_000);
}

async function session(state: DaemonState): Promise<Client> {
	const client = await connect(state, world.token());
	clients.push(client);
	return client;
}

async function server(state: DaemonState, name: string): Promise<ServerStatus> {
	const found = (await daemonStatus(state, world.token())).servers.find(entry => entry.name === name);
	expect(found, `server ${name} in status`).toBeDefined();
	return found!;
}

function text(result: unknown): string {
	return ((result as {content?: Array<{text?: string}>}).content ?? []).map(item => item.text ?? '').join('\n');
}

/** server-everything behind a pause read from a file: the same entry, slow or not from one run to the next. */
function everythingAfterFile(file: string) {
	return {command: 'sh', args: ['-c', `sleep "$(cat '${file}')"; exec '${process.execPath}' '${serverScript('everything')}' stdio`]};
}

describe('a server with its catalog on disk', () => {
	it('is listed at once and started by the first call, a slow one included', async () => {
		const pause = join(world.root, 'pause');
		writeFileSync(pause, '0');
		world.writeConfig({mcpServers: {slow: everythingAfterFile(pause)}});
		await learnAndStop();
		expect(catalogFiles()).toEqual([expect.stringMatching(/^slow\.[0-9a-f]{32}\.json$/)]);
		expect(statSync(join(catalogDir(), catalogFiles()[0]!)).mode & 0o777).toBe(0o600);

		// Now it takes 10 s to answer initialize.
		writeFileSync(pause, '10');
		const {state} = await world.runDaemon();
		const client = await session(state);
		const {tools} = await client.listTools();
		expect(tools.map(tool => tool.name)).toContain('slow__echo');
		// Listed without starting it: no process yet.
		expect(await server(state, 'slow')).toMatchObject({state: 'idle', pid: null, tools: tools.length - 1});

		const result = await client.callTool({name: 'slow__echo', arguments: {message: 'woken'}});
		expect(text(result)).toBe('Echo: woken');
		const running = await server(state, 'slow');
		expect(running).toMatchObject({state: 'ready'});
		expect(running.pid).toBeGreaterThan(0);
		expect(running.lastUsed).not.toBeNull();
	}, 60_000);

	it('is started by a resource read or a prompt as by a call', async () => {
		world.writeConfig({mcpServers: {everything: servers.everything()}});
		await learnAndStop();
		const {child, state} = await world.runDaemon();
		const client = await session(state);
		const {resources} = await client.listResources();
		expect((await server(state, 'everything')).state).toBe('idle');
		const read = await client.readResource({uri: resources[0]!.uri});
		expect(read.contents.length).toBeGreaterThan(0);
		expect((await server(state, 'everything')).state).toBe('ready');

		child.kill('SIGTERM');
		await waitForExit(child, 10_000);
		const again = await world.runDaemon();
		const other = await session(again.state);
		const {prompts} = await other.listPrompts();
		expect((await server(again.state, 'everything')).state).toBe('idle');
		const simple = prompts.find(prompt => (prompt.arguments ?? []).every(argument => !argument.required))!;
		expect((await other.getPrompt({name: simple.name})).messages.length).toBeGreaterThan(0);
		expect((await server(again.state, 'everything')).state).toBe('ready');
	}, 60_000);

	it('is counted as available by `daemon start`, which does not wait for it', async () => {
		world.writeConfig({mcpServers: {memory: servers.memory(join(world.root, 'memory.jsonl'))}});
		await learnAndStop();
		const started = await runCli(world, ['daemon', 'start']);
		expect(started.stdout).toMatch(/All 1 server available \(9 tools, idle until first use\)\./);
		expect((await runCli(world, ['daemon', 'stop'])).code).toBe(0);
	}, 60_000);

	it('announces a tool list that changed since it last ran, and names a tool that is gone', async () => {
		const toolsFile = join(world.root, 'tools.json');
		writeFileSync(toolsFile, JSON.stringify(['alpha', 'beta']));
		world.writeConfig({mcpServers: {probe: {command: process.execPath, args: [PROBE, '--tools-file', toolsFile]}}});
		await learnAndStop();

		writeFileSync(toolsFile, JSON.stringify(['alpha', 'gamma']));
		const {state} = await world.runDaemon();
		const client = await session(state);
		let announced = 0;
		client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
			announced++;
		});
		const before = (await client.listTools()).tools.map(tool => tool.name);
		expect(before).toEqual(expect.arrayContaining(['probe__alpha', 'probe__beta']));
		expect(before).not.toContain('probe__gamma');

		const gone = await client.callTool({name: 'probe__beta', arguments: {}}).catch((error: Error) => error);
		const message = gone instanceof Error ? gone.message : text(gone);
		expect(message).toContain('Tool "beta" is no longer offered by server "probe"');
		await eventually(() => announced > 0, 5000, 'tools/list_changed');
		const after = (await client.listTools()).tools.map(tool => tool.name);
		expect(after).toEqual(expect.arrayContaining(['probe__alpha', 'probe__gamma']));
		expect(after).not.toContain('probe__beta');
		expect(text(await client.callTool({name: 'probe__gamma', arguments: {}}))).toBe('called gamma');
	}, 60_000);

	it('is never trusted from a corrupt catalog file: that is ignored with a warning and the server starts', async () => {
		world.writeConfig({mcpServers: {memory: servers.memory(join(world.root, 'memory.jsonl'))}});
		await learnAndStop();
		const [file] = catalogFiles();
		const stored = JSON.parse(readFileSync(join(catalogDir(), file!), 'utf8')) as {tools: Array<{inputSchema: unknown}>};
		stored.tools[0]!.inputSchema = 'not a schema';
		writeFileSync(join(catalogDir(), file!), JSON.stringify(stored));

		const {state, output} = await world.runDaemon();
		expect((await server(state, 'memory')).state).not.toBe('idle');
		await serversReady(state, world.token());
		expect(output()).toMatch(/catalog file corrupt, ignored; the server starts to list again server=memory/);
		// Once listed, it is written whole again.
		const rewritten = JSON.parse(readFileSync(join(catalogDir(), file!), 'utf8')) as {tools: Array<{inputSchema: unknown}>};
		expect(typeof rewritten.tools[0]!.inputSchema).toBe('object');
	}, 60_000);
});

describe('idle servers', () => {
	it('are stopped when unused for their idle time, and started again by the next use', async () => {
		world.writeConfig({mcpServers: {memory: {...servers.memory(join(world.root, 'memory.jsonl')), idleTimeout: 1}}});
		const {state, output} = await world.runDaemon();
		await serversReady(state, world.token());
		const client = await session(state);
		await client.callTool({name: 'memory__create_entities', arguments: {entities: [{name: 'kept', entityType: 'note', observations: []}]}});
		const first = (await server(state, 'memory')).pid!;
		await eventually(async () => (await server(state, 'memory')).state === 'idle', 10_000, 'the idle stop');
		await eventually(() => !isAlive(first), 5000, 'its process to exit');
		expect(output()).toMatch(/server idle server=memory/);
		// Still offered while idle, and said to be so: to people, and to Claude at SessionStart.
		expect((await client.listTools()).tools.map(tool => tool.name)).toContain('memory__read_graph');
		const status = await runCli(world, ['daemon', 'status']);
		expect(status.stdout).toMatch(/memory +global +idle +\d+s +- /);
		expect(status.stdout.replaceAll(/\n +/g, ' ')).toMatch(/idle: stopped until its next use.*as it listed them \(memory \d+s ago\)/);
		const started = await hook(world, 'session-start', idleProcess(world), {session_id: 'lazy'});
		expect(started.stdout).toMatch(/Servers: memory \(available, starts on first use, \d+ tools\)/);

		const graph = await client.callTool({name: 'memory__read_graph', arguments: {}});
		expect(text(graph)).toContain('kept');
		const second = await server(state, 'memory');
		expect(second.state).toBe('ready');
		expect(second.pid).not.toBe(first);
	}, 60_000);

	it('are kept running while a resource subscription is open', async () => {
		world.writeConfig({mcpServers: {everything: {...servers.everything(), idleTimeout: 1}}});
		const {state} = await world.runDaemon();
		await serversReady(state, world.token());
		const client = await session(state);
		const {resources} = await client.listResources();
		await client.subscribeResource({uri: resources[0]!.uri});
		await new Promise(resolve => setTimeout(resolve, 2500));
		expect((await server(state, 'everything')).state).toBe('ready');
		await client.unsubscribeResource({uri: resources[0]!.uri});
		await eventually(async () => (await server(state, 'everything')).state === 'idle', 10_000, 'the idle stop after unsubscribing');
	}, 60_000);

	it('never include "start": "eager" ones (started at once though a catalog is on disk) nor "idleTimeout": 0 ones', async () => {
		await world.dispose();
		world = new World({MCPPROXY_SERVER_IDLE: '1'});
		world.writeConfig({
			mcpServers: {
				lazy: servers.memory(join(world.root, 'lazy.jsonl')),
				eager: {...servers.memory(join(world.root, 'eager.jsonl')), start: 'eager'},
				kept: {...servers.memory(join(world.root, 'kept.jsonl')), idleTimeout: 0},
			},
		});
		await learnAndStop();
		const {state} = await world.runDaemon();
		expect((await server(state, 'lazy')).state).toBe('idle');
		expect((await server(state, 'kept')).state).toBe('idle');
		await serversReady(state, world.token());
		const eager = await server(state, 'eager');
		expect(eager.state).toBe('ready');
		const client = await session(state);
		await client.callTool({name: 'kept__read_graph', arguments: {}});
		await client.callTool({name: 'lazy__read_graph', arguments: {}});
		const kept = await server(state, 'kept');
		await new Promise(resolve => setTimeout(resolve, 2500));
		expect(await server(state, 'eager')).toMatchObject({state: 'ready', pid: eager.pid});
		expect(await server(state, 'kept')).toMatchObject({state: 'ready', pid: kept.pid});
		expect((await server(state, 'lazy')).state).toBe('idle');
	}, 60_000);

	it('fail the call that starts them with a clear error when they do not start in time, and go back to idle', async () => {
		await world.dispose();
		world = new World({MCPPROXY_INIT_TIMEOUT: '2'});
		const pause = join(world.root, 'pause');
		writeFileSync(pause, '0');
		world.writeConfig({mcpServers: {slow: everythingAfterFile(pause)}});
		await learnAndStop();
		writeFileSync(pause, '10');
		const {state} = await world.runDaemon();
		const client = await session(state);
		const failed = await client.callTool({name: 'slow__echo', arguments: {message: 'never'}}).catch((error: Error) => error);
		const message = failed instanceof Error ? failed.message : text(failed);
		expect(message).toMatch(/server "slow" did not start: .*timed out/i);
		// Back to idle with the reason, its tools still offered, and no restart loop for a server nobody uses.
		const after = await server(state, 'slow');
		expect(after).toMatchObject({state: 'idle', pid: null, restarts: 0});
		expect(after.lastError).toMatch(/timed out/i);
		await new Promise(resolve => setTimeout(resolve, 1500));
		expect(await server(state, 'slow')).toMatchObject({state: 'idle', pid: null});
		expect((await client.listTools()).tools.map(tool => tool.name)).toContain('slow__echo');
		// The next use tries again.
		writeFileSync(pause, '0');
		expect(text(await client.callTool({name: 'slow__echo', arguments: {message: 'now'}}))).toBe('Echo: now');
		expect((await server(state, 'slow')).lastError).toBeNull();
	}, 60_000);
});

describe('catalogs', () => {
	it('stay when the daemon stops, go with an edit of their entry, and with servers forget', async () => {
		world.writeConfig({
			mcpServers: {
				memory: servers.memory(join(world.root, 'memory.jsonl')),
				'memory.two': servers.memory(join(world.root, 'two.jsonl')),
				everything: servers.everything(),
			},
		});
		await learnAndStop();
		expect(catalogFiles().map(file => file.split('.').slice(0, -2).join('.'))).toEqual(['everything', 'memory', 'memory.two']);

		const {state, output} = await world.runDaemon();
		await serversReady(state, world.token());
		// Another file for memory: a changed entry, whose old catalog must not be offered.
		world.writeConfig({
			mcpServers: {
				memory: servers.memory(join(world.root, 'other.jsonl')),
				'memory.two': servers.memory(join(world.root, 'two.jsonl')),
				everything: servers.everything(),
			},
		});
		await eventually(() => output().includes('config reloaded'), 10_000, 'the edit applied');
		await eventually(async () => (await server(state, 'memory')).state === 'ready', 15_000, 'the changed entry to start');
		expect(catalogFiles().filter(file => file.startsWith('memory.'))).toHaveLength(2);

		const forget = await runCli(world, ['servers', 'forget', 'memory']);
		expect(forget.stdout).toMatch(/Dropped 1 catalog of memory/);
		expect(catalogFiles().map(file => file.split('.').slice(0, -2).join('.'))).toEqual(['everything', 'memory.two']);
		const all = await runCli(world, ['servers', 'forget', '--all']);
		expect(all.stdout).toMatch(/Dropped 2 catalogs/);
		expect(catalogFiles()).toEqual([]);
	}, 60_000);

	it('of entries removed while no daemon ran are dropped by the next daemon', async () => {
		world.writeConfig({mcpServers: {memory: servers.memory(join(world.root, 'memory.jsonl')), everything: servers.everything()}});
		await learnAndStop();
		expect(catalogFiles()).toHaveLength(2);
		world.writeConfig({mcpServers: {memory: servers.memory(join(world.root, 'memory.jsonl'))}});
		const {state} = await world.runDaemon();
		expect((await server(state, 'memory')).state).toBe('idle');
		expect(catalogFiles()).toEqual([expect.stringMatching(/^memory\./)]);
	}, 60_000);

	it('are kept apart between projects', async () => {
		const projects = [join(world.root, 'a'), join(world.root, 'b')];
		world.writeConfig({mcpServers: {files: {...servers.filesystem('${PROJECT_DIR}'), scope: 'project'}}});
		for (const dir of projects) mkdirSync(dir, {recursive: true});
		const {state} = await world.runDaemon();

		const inA = await connect(state, world.token(), {}, 'in-a', projects[0]);
		clients.push(inA);
		await eventually(async () => (await server(state, 'files')).state === 'ready', 15_000, 'project A’s instance');
		expect(catalogFiles()).toHaveLength(1);
		const inB = await connect(state, world.token(), {}, 'in-b', projects[1]);
		clients.push(inB);
		// B has no catalog of its own: its instance starts, never offered from A's.
		const instances = await eventually(async () => {
			const all = (await daemonStatus(state, world.token())).servers.filter(entry => entry.name === 'files');
			return all.length === 2 && all;
		});
		expect(instances.find(entry => entry.project === projects[1])!.state).not.toBe('idle');
	}, 60_000);
});
