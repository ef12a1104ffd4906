import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {afterEach, describe, expect, it} from 'vitest';
import type {DaemonState} from '../src/contract/state-file.js';
import {connect} from './support/client.js';
import {CLI, eventually, isAlive, servers, waitForExit, World} from './support/daemon.js';
import {daemonStatus, type ServerStatus} from './support/raw-http.js';

let world: World;

afterEach(async () => world?.dispose());

/** `daemon run` that is expected to fail at once: its exit code and everything it printed. */
async function failedRun(): Promise<{code: number | null; stderr: string}> {
	const child = world.spawn(process.execPath, [CLI, 'daemon', 'run']);
	let stderr = '';
	child.stderr!.on('data', chunk => (stderr += String(chunk)));
	await new Promise(resolve => child.once('exit', resolve));
	return {code: child.exitCode, stderr};
}

async function server(state: DaemonState, name: string): Promise<ServerStatus | undefined> {
	return (await daemonStatus(state, world.token())).servers.find(entry => entry.name === name);
}

async function serverIn(state: DaemonState, name: string, wanted: string): Promise<ServerStatus> {
	return eventually(
		async () => {
			const found = await server(state, name);
			return found?.state === wanted && found;
		},
		15_000,
		`server ${name} to be ${wanted}`,
	);
}

/** Every process below `pid`, read from /proc. */
function descendants(pid: number): number[] {
	const children = new Map<number, number[]>();
	for (const entry of readdirSync('/proc').filter(name => /^\d+$/.test(name))) {
		try {
			const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
			const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
		} catch {
			// Gone while listing.
		}
	}

	const found: number[] = [];
	const visit = (parent: number) => {
		for (const child of children.get(parent) ?? []) {
			found.push(child);
			visit(child);
		}
	};

	visit(pid);
	return found;
}

describe('a config file the daemon cannot use at all', () => {
	it('stops the daemon with an error naming the file, line, column and fix for a JSON syntax error', async () => {
		world = new World();
		world.writeConfig('{\n  "mcpServers": {\n    "memory": {"command": "node",}\n  }\n}\n');
		const {code, stderr} = await failedRun();
		expect(code).not.toBe(0);
		expect(stderr).toContain(world.configFile);
		expect(stderr).toMatch(/line 3, column \d+/);
		expect(stderr).toContain('Fix:');
		expect(world.state()).toBeUndefined();
	});

	it('stops the daemon with an error naming $.mcpServers when it is not an object', async () => {
		world = new World();
		world.writeConfig({mcpServers: [{command: 'node'}]});
		const {code, stderr} = await failedRun();
		expect(code).not.toBe(0);
		expect(stderr).toContain(world.configFile);
		expect(stderr).toContain('$.mcpServers');
		expect(stderr).toContain('Fix:');
	});
});

describe('one bad server among good ones', () => {
	it('runs the others and reports an entry without a command as invalid, in the status and the log', async () => {
		world = new World();
		world.writeConfig({
			mcpServers: {memory: servers.memory(`${world.root}/memory.jsonl`), broken: {args: ['server.js']}},
		});
		const {state, output} = await world.runDaemon();
		const broken = await server(state, 'broken');
		expect(broken).toMatchObject({state: 'invalid', pid: null});
		expect(broken!.lastError).toContain('$.mcpServers.broken.command');
		expect(broken!.lastError).toContain('Fix:');
		expect(output()).toMatch(/server entry disabled server=broken/);

		const client = await connect(state, world.token());
		expect((await client.callTool({name: 'memory__read_graph', arguments: {}})).isError).toBeFalsy();
		await client.close();
	});

	it('reports an entry using an unset ${VAR} as invalid, naming the variable', async () => {
		world = new World({MCP_TOOLING_TEST_UNSET: undefined});
		world.writeConfig({
			mcpServers: {
				memory: servers.memory(`${world.root}/memory.jsonl`),
				secret: {command: 'node', env: {TOKEN: '${MCP_TOOLING_TEST_UNSET}'}},
			},
		});
		const {state, output} = await world.runDaemon();
		const secret = await server(state, 'secret');
		expect(secret).toMatchObject({state: 'invalid'});
		expect(secret!.lastError).toContain('${MCP_TOOLING_TEST_UNSET} is not set');
		expect(secret!.lastError).toContain('$.mcpServers.secret.env.TOKEN');
		expect(output()).toMatch(/server entry disabled server=secret/);
		await serverIn(state, 'memory', 'ready');
	});

	it('keeps a server whose command does not exist in backoff with the error, and the others ready', async () => {
		world = new World();
		world.writeConfig({
			mcpServers: {
				memory: servers.memory(`${world.root}/memory.jsonl`),
				missing: {command: 'mcp-tooling-no-such-command-here'},
			},
		});
		const {state} = await world.runDaemon();
		const missing = await eventually(async () => {
			const found = await server(state, 'missing');
			return found?.state === 'backoff' && found;
		});
		expect(missing.lastError).toBe('command not found: mcp-tooling-no-such-command-here');
		expect((await serverIn(state, 'memory', 'ready')).tools).toBeGreaterThan(0);
	});
});

describe('a server that never answers initialize', () => {
	// Long enough for the checks made while it is still starting, on a loaded machine too.
	const INIT_TIMEOUT_S = 15;

	it('times out after MCPPROXY_INIT_TIMEOUT while the other servers come up, answer and are listed before that', async () => {
		world = new World();
		world.writeConfig({
			mcpServers: {
				// Its own longer timeout keeps a busy machine from failing the good server.
				memory: {...servers.memory(`${world.root}/memory.jsonl`), initTimeout: 60},
				hangs: {command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)']},
			},
		});
		// Taken before the daemon starts the server: its timeout cannot look early.
		const started = Date.now();
		const {state} = await world.runDaemon('mcp-user', {MCPPROXY_INIT_TIMEOUT: String(INIT_TIMEOUT_S)});
		await serverIn(state, 'memory', 'ready');
		expect(await server(state, 'hangs')).toMatchObject({state: 'starting', restarts: 0});
		const client = await connect(state, world.token());
		expect((await client.callTool({name: 'memory__read_graph', arguments: {}})).isError).toBeFalsy();
		// A first tools/list waits a little for servers still starting, but not for their whole timeout,
		// and the lists after it do not wait again.
		expect((await client.listTools()).tools.map(tool => tool.name)).toContain('memory__read_graph');
		const asked = Date.now();
		expect((await client.listTools()).tools.map(tool => tool.name)).toContain('memory__read_graph');
		expect(Date.now() - asked).toBeLessThan(5000);
		expect((await server(state, 'hangs'))?.state).toBe('starting');

		const hangs = await serverIn(state, 'hangs', 'backoff');
		expect(Date.now() - started).toBeGreaterThanOrEqual(INIT_TIMEOUT_S * 1000 - 100);
		expect(hangs.lastError).toMatch(/timed out/i);
		await client.close();
	});
});

describe('upstream processes', () => {
	it('restarts a server that was killed, under a new pid', async () => {
		world = new World();
		world.writeConfig({mcpServers: {memory: servers.memory(`${world.root}/memory.jsonl`)}});
		const {state, output} = await world.runDaemon();
		const before = await serverIn(state, 'memory', 'ready');
		process.kill(before.pid!, 'SIGKILL');
		const after = await eventually(async () => {
			const found = await server(state, 'memory');
			return found?.state === 'ready' && found.pid !== before.pid && found;
		});
		expect(after.restarts).toBeGreaterThanOrEqual(1);
		expect(output()).toMatch(/server down, will restart server=memory error="the server process ended \(signal SIGKILL\)"/);
		expect(isAlive(after.pid!)).toBe(true);
		const client = await connect(state, world.token());
		expect((await client.callTool({name: 'memory__read_graph', arguments: {}})).isError).toBeFalsy();
		await client.close();
	});

	it('leaves no upstream process behind when stopped with SIGTERM, including what a server spawned', async () => {
		world = new World();
		// `sh -c` without exec keeps a shell as the server's parent: a process tree, not a single process.
		const [node, script] = [process.execPath, servers.everything().args[0]!];
		world.writeConfig({
			mcpServers: {
				memory: servers.memory(`${world.root}/memory.jsonl`),
				wrapped: {command: 'sh', args: ['-c', `'${node}' '${script}' stdio; true`]},
			},
		});
		const {child, state} = await world.runDaemon();
		await serverIn(state, 'memory', 'ready');
		const wrapped = await serverIn(state, 'wrapped', 'ready');
		const upstreams = descendants(child.pid!);
		expect(upstreams).toContain(wrapped.pid);
		expect(upstreams.length).toBeGreaterThanOrEqual(3);

		child.kill('SIGTERM');
		await waitForExit(child, 10_000);
		expect(child.exitCode).toBe(0);
		expect(upstreams.filter(pid => isAlive(pid))).toEqual([]);
		expect(existsSync(world.stateFile())).toBe(false);
	});
});
