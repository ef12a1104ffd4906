import {mkdirSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {pathToFileURL} from 'node:url';
import type {Client} from '@modelcontextprotocol/sdk/client/index.js';
import type {StreamableHTTPClientTransport} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {DaemonState} from '../src/contract/state-file.js';
import {connect} from './support/client.js';
import {eventually, isAlive, serverScript, World} from './support/daemon.js';
import {daemonStatus, type ServerStatus} from './support/raw-http.js';

const LINGER_S = 2;

let world: World;
let state: DaemonState;
let daemonOutput: () => string;
/** Holds both projects; outside the world, as projects are. */
let projects: string | undefined;
let projectA: string;
let projectB: string;
const clients: Client[] = [];

async function session(project: string): Promise<Client> {
	const client = await connect(state, world.token(), {}, 'project-test', project);
	clients.push(client);
	return client;
}

async function instances(name: string): Promise<ServerStatus[]> {
	return (await daemonStatus(state, world.token())).servers.filter(server => server.name === name && server.state !== 'invalid');
}

/** Ends a session as a bridge does on exit: SDK clients send no DELETE on close by themselves. */
async function leave(client: Client): Promise<void> {
	await (client.transport as StreamableHTTPClientTransport).terminateSession();
	await client.close();
}

function textOf(result: Awaited<ReturnType<Client['callTool']>>): string {
	return (result.content as Array<{type: string; text?: string}>).map(item => item.text ?? '').join('\n');
}

beforeAll(async () => {
	world = new World({MCPPROXY_LINGER: String(LINGER_S)});
	projects = mkdtempSync(join(tmpdir(), 'mcp-tooling-projects-'));
	projectA = join(projects, 'alpha');
	projectB = join(projects, 'beta');
	mkdirSync(projectA);
	mkdirSync(projectB);
	world.writeConfig({
		mcpServers: {
			// Rooted at the project, as a project's filesystem or Serena server would be.
			files: {command: process.execPath, args: [serverScript('filesystem'), '${PROJECT_DIR}'], scope: 'project'},
			everything: {command: process.execPath, args: [serverScript('everything'), 'stdio'], scope: 'project'},
			memory: {
				command: process.execPath,
				args: [serverScript('memory')],
				env: {MEMORY_FILE_PATH: join(world.root, 'memory-${CLAUDE_PROJECT_DIR:-none}.jsonl').replaceAll('/', '_')},
				scope: 'session',
			},
		},
	});
	({state, output: daemonOutput} = await world.runDaemon());
});

afterAll(async () => {
	await Promise.all(clients.map(async client => client.close().catch(() => undefined)));
	await world.dispose();
	if (projects) {
		rmSync(projects, {recursive: true, force: true});
	}
});

describe('project-scoped servers', () => {
	it('run once per project: two sessions in A and one in B make exactly two instances', async () => {
		const [a1, a2, b1] = [await session(projectA), await session(projectA), await session(projectB)];
		const files = await eventually(
			async () => {
				const found = await instances('files');
				return found.length === 2 && found.every(instance => instance.state === 'ready') && found;
			},
			30_000,
			'both instances ready',
		);
		expect(files.map(instance => instance.project).sort()).toEqual([projectA, projectB].sort());
		expect(new Set(files.map(instance => instance.pid)).size).toBe(2);
		// Listed once the instances are up: a list waits for a starting server only so long.
		for (const client of [a1, a2, b1]) {
			expect((await client.listTools()).tools.map(tool => tool.name)).toContain('files__list_directory');
		}
	});

	it('routes each session to its own project’s instance, rooted at that project', async () => {
		const [a, b] = [clients[0]!, clients[2]!];
		const inA = textOf(await a.callTool({name: 'files__list_allowed_directories', arguments: {}}));
		const inB = textOf(await b.callTool({name: 'files__list_allowed_directories', arguments: {}}));
		expect(inA).toContain(projectA);
		expect(inA).not.toContain(projectB);
		expect(inB).toContain(projectB);
	});

	it('answers roots/list from a project instance with that project’s root', async () => {
		const roots = textOf(await clients[2]!.callTool({name: 'everything__get-roots-list', arguments: {}}));
		expect(roots).toContain(pathToFileURL(projectB).href);
	});

	it('stops a project’s instance once its last session has left, after the linger period', async () => {
		const before = await instances('files');
		const inA = before.find(instance => instance.project === projectA)!;
		await leave(clients[0]!);
		// Taken before the last session leaves, so never after the daemon starts the linger period:
		// an instance stopped on time cannot look early, one stopped at once shows.
		const lastLeft = Date.now();
		await leave(clients[1]!);
		await eventually(
			async () => (await instances('files')).every(instance => instance.project !== projectA),
			15_000,
			'project A’s instance to stop',
		);
		expect(Date.now() - lastLeft).toBeGreaterThanOrEqual(LINGER_S * 1000 - 50);
		await eventually(() => !isAlive(inA.pid!), 5000, 'its process to exit');
		expect((await instances('files')).map(instance => instance.project)).toEqual([projectB]);
		expect(daemonOutput()).toMatch(/project server unused for the linger period, stopping server=files/);
	});
});

describe('session-scoped servers', () => {
	it('run one instance per session, stopped when the session ends', async () => {
		const extra = await session(projectB);
		await extra.listTools();
		// A session in B had an instance before: this one is offered from its catalog and starts on first use.
		await extra.callTool({name: 'memory__read_graph', arguments: {}});
		const memory = await eventually(async () => {
			const found = await instances('memory');
			return found.length === 2 && found.every(instance => instance.state === 'ready') && found;
		});
		expect(new Set(memory.map(instance => instance.pid)).size).toBe(2);
		await leave(extra);
		await eventually(async () => (await instances('memory')).length === 1, 10_000, 'the session’s instance to stop');
	});
});
